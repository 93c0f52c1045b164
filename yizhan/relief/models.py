"""A company's hardship relief fund (特困救助基金会): the fund with its ledger account and the hall
matter its applications are cases of, its management rules (管理办法) as dated versions, the
members (staff of the company) who may apply, the contributions, and the applications.

Money never lives in these rows: the fund's balance is its `yizhan.ledger` account, every
contribution and payment one of its entries (a correction a reversing entry)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.ledger.money import yuan
from yizhan.org.models import Role, UnitKind
from yizhan.org.scope import ScopedQuerySet, ScopeRule
from yizhan.relief.rule_values import rule_errors

RELIEF_ROLES = (Role.TREASURER, Role.COMMITTEE_MEMBER, Role.WELFARE_OFFICER)
COMMITTEE = (Role.COMMITTEE_MEMBER,)
TREASURERS = (Role.TREASURER,)
# Who receives an application for a member: the union's welfare officer, the treasurer, the committee.
INTAKE = RELIEF_ROLES


class Fund(models.Model):
    """The fund of one company: its ledger account, the matter (with its materials checklist) and
    the window where applications are received."""

    scope_rule = ScopeRule(units=("company",), roles=RELIEF_ROLES, change_roles=TREASURERS)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("基金编码"), max_length=32, unique=True)
    name = models.CharField(_("基金名称"), max_length=100)
    company = models.ForeignKey("org.OrgUnit", verbose_name=_("企业"), on_delete=models.PROTECT,
                                related_name="relief_funds", limit_choices_to={"kind": UnitKind.COMPANY})
    account = models.OneToOneField("ledger.Account", verbose_name=_("基金账户"), on_delete=models.PROTECT,
                                   related_name="relief_fund")
    matter = models.OneToOneField("hall.Matter", verbose_name=_("救助事项"), on_delete=models.PROTECT,
                                  related_name="relief_fund",
                                  help_text=_("救助申请按此事项办理：材料清单、承诺时限由它决定"))
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("受理窗口"), on_delete=models.PROTECT,
                               related_name="relief_funds_received", limit_choices_to={"kind": UnitKind.WINDOW})
    founded_on = models.DateField(_("成立日期"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("救助基金")
        verbose_name_plural = _("救助基金")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.company_id and self.company.kind != UnitKind.COMPANY:
            errors["company"] = _("须为企业")
        if self.company_id and self.account_id and not self.company.contains(self.account.unit):
            errors["account"] = _("基金账户须属于本企业或其下设单位")
        if self.matter_id and self.window_id and self.window.parent_id != self.matter.department_id:
            errors["window"] = _("受理窗口须属于救助事项的主管部门")
        if self.company_id and self.matter_id and not self.company.contains(self.matter.department):
            errors["matter"] = _("救助事项须属于本企业下设的部门")
        if errors:
            raise ValidationError(errors)


class Rules(models.Model):
    """One version of the fund's management rules (管理办法), in force from `effective_from` until
    the next version: who is eligible, the documents required and the ceilings."""

    scope_rule = ScopeRule(units=("fund__company",), roles=RELIEF_ROLES, change_roles=COMMITTEE)
    objects = ScopedQuerySet.as_manager()

    fund = models.ForeignKey(Fund, verbose_name=_("救助基金"), on_delete=models.PROTECT, related_name="rules")
    version = models.CharField(_("版本"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    illnesses = models.JSONField(_("认定的重大疾病"), default=list,
                                 help_text=_("医保部门认定的重大疾病类别，每项一个名称"))
    certificate_required = models.BooleanField(_("须有医保认定证明"), default=True)
    materials = models.JSONField(_("申请材料"), default=list, help_text=_("须提交的材料名称，每项一个"))
    ceiling_per_person_fen = models.BigIntegerField(_("每人每年救助上限（分）"))
    ceiling_per_year_fen = models.BigIntegerField(_("基金每年救助总额上限（分）"))
    text = models.TextField(_("条文"), blank=True)

    class Meta:
        verbose_name = _("管理办法")
        verbose_name_plural = _("管理办法")
        ordering = ["fund", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "version"], name="relief_rules_unique_version"),
            models.UniqueConstraint(fields=["fund", "effective_from"], name="relief_rules_unique_start"),
            models.CheckConstraint(condition=models.Q(ceiling_per_person_fen__gt=0, ceiling_per_year_fen__gt=0),
                                   name="relief_rules_ceilings_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"

    @property
    def per_person_yuan(self) -> str:
        return yuan(self.ceiling_per_person_fen)

    @property
    def per_year_yuan(self) -> str:
        return yuan(self.ceiling_per_year_fen)

    def clean(self) -> None:
        errors = rule_errors(illnesses=self.illnesses, materials=self.materials,
                             per_person=self.ceiling_per_person_fen, per_year=self.ceiling_per_year_fen)
        if errors:
            raise ValidationError({field: error.message for field, error in errors.items()})


class Member(models.Model):
    """A member of the fund: a staff member of the company (会员), who may apply."""

    scope_rule = ScopeRule(units=("fund__company",), roles=RELIEF_ROLES)
    objects = ScopedQuerySet.as_manager()

    fund = models.ForeignKey(Fund, verbose_name=_("救助基金"), on_delete=models.PROTECT, related_name="members")
    staff_no = models.CharField(_("工号"), max_length=32)
    resident_id = models.CharField(_("身份证号"), max_length=18)
    name = models.CharField(_("姓名"), max_length=50)
    department = models.CharField(_("所在部门"), max_length=100, blank=True)
    active = models.BooleanField(_("在职"), default=True)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["fund", "staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "resident_id"], name="relief_member_unique_id"),
            models.UniqueConstraint(fields=["fund", "staff_no"], name="relief_member_unique_staff_no"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"


class ContributionKind(models.TextChoices):
    STAFF = "staff", _("职工捐款")
    UNION = "union", _("工会汇缴")
    COMPANY = "company", _("企业拨款")


# The ledger category of each kind of contribution (yizhan.ledger names kinds by category).
CATEGORY: dict[str, str] = {ContributionKind.STAFF: "staff_contribution", ContributionKind.UNION: "union_transfer",
            ContributionKind.COMPANY: "company_grant"}
PAYMENT = "relief_payment"


class Contribution(models.Model):
    """Money into the fund: one staff member's contribution, a union transfer of many (with their
    count) or the company's grant; `entry` is its ledger posting."""

    scope_rule = ScopeRule(units=("fund__company",), roles=RELIEF_ROLES, change_roles=TREASURERS)
    objects = ScopedQuerySet.as_manager()

    fund = models.ForeignKey(Fund, verbose_name=_("救助基金"), on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("来源"), max_length=16, choices=ContributionKind.choices)
    contributor = models.CharField(_("捐款人/单位"), max_length=100)
    staff_no = models.CharField(_("工号"), max_length=32, blank=True)
    contributors = models.PositiveIntegerField(_("捐款人数"), default=1)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    received_at = models.DateTimeField(_("到账时间"))
    entry = models.OneToOneField("ledger.Entry", verbose_name=_("台账分录"), on_delete=models.PROTECT,
                                 related_name="relief_contribution")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("捐款")
        verbose_name_plural = _("捐款")
        ordering = ["fund", "received_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="relief_contribution_positive")]

    def __str__(self) -> str:
        return f"{self.contributor} ¥{yuan(self.amount_fen)}"

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("待审议")
    REFUSING = "refusing", _("拟不予救助")
    APPROVED = "approved", _("已批准待拨付")
    PAID = "paid", _("已拨付")
    REFUSED = "refused", _("不予救助")


class Application(models.Model):
    """A member's application for relief, a case of the fund's matter: the case carries the
    materials, the one-time notice, the deadlines and the refusal's second person."""

    scope_rule = ScopeRule(units=("fund__company",), roles=RELIEF_ROLES)
    objects = ScopedQuerySet.as_manager()

    fund = models.ForeignKey(Fund, verbose_name=_("救助基金"), on_delete=models.PROTECT, related_name="applications")
    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="applications")
    rules = models.ForeignKey(Rules, verbose_name=_("适用的管理办法"), on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("hall.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                                related_name="relief_application")
    illness = models.CharField(_("疾病类别"), max_length=100)
    certificate_no = models.CharField(_("医保认定证明编号"), max_length=64, blank=True)
    requested_fen = models.BigIntegerField(_("申请金额（分）"))
    amount_fen = models.BigIntegerField(_("批准金额（分）"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=ApplicationState.choices,
                             default=ApplicationState.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("申请时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审议时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审议人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)
    entry = models.OneToOneField("ledger.Entry", verbose_name=_("拨付分录"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="relief_application")
    note = models.TextField(_("审议意见"), blank=True)

    class Meta:
        verbose_name = _("救助申请")
        verbose_name_plural = _("救助申请")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.member.name}"

    @property
    def requested_yuan(self) -> str:
        return yuan(self.requested_fen)

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen) if self.amount_fen is not None else ""
