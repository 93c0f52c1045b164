"""Student subsidies (贫困生资助) of an education bureau: its schools and their townships, the
programmes (as data), pupils, and the batches a school submits for its pupils.

A batch is a case on the hall's case engine (a matter of the bureau's 资助管理中心, received at its
window), so the bureau's approval runs on the clock. Its lines (`Grant`) count each pupil once per
programme and term: a unique constraint over the lines that still count (a refused batch's lines
stop counting, so the school may apply again)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.ledger.money import yuan
from yizhan.org.models import Role, UnitKind
from yizhan.org.scope import ScopedQuerySet, ScopeRule

SUBSIDY_ROLES = (Role.SCHOOL_CLERK, Role.SUBSIDY_OFFICER)
OFFICERS = (Role.SUBSIDY_OFFICER,)
BATCH_ROLES = (*SUBSIDY_ROLES, Role.DEPARTMENT_HEAD)


class Township(models.Model):
    """A township (乡镇) of the district: where a school stands and where a pupil lives."""

    code = models.CharField(_("乡镇编码"), max_length=32, unique=True)
    name = models.CharField(_("乡镇名称"), max_length=100)
    remote = models.BooleanField(_("边远乡镇"), default=False,
                                 help_text=_("边远乡镇的学生可享受交通补助"))

    class Meta:
        verbose_name = _("乡镇")
        verbose_name_plural = _("乡镇")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """What the subsidies need to know of a SCHOOL unit: its township and whether it lies in a cold
    area (winter heating)."""

    scope_rule = ScopeRule(units=("unit",), roles=SUBSIDY_ROLES, change_roles=OFFICERS)
    objects = ScopedQuerySet.as_manager()

    unit = models.OneToOneField("org.OrgUnit", verbose_name=_("学校"), on_delete=models.PROTECT,
                                related_name="subsidy_school", limit_choices_to={"kind": UnitKind.SCHOOL})
    township = models.ForeignKey(Township, verbose_name=_("所在乡镇"), on_delete=models.PROTECT,
                                 related_name="schools")
    cold_area = models.BooleanField(_("高寒地区"), default=False, help_text=_("高寒地区学校可享受冬季取暖补助"))

    class Meta:
        verbose_name = _("学校资料")
        verbose_name_plural = _("学校资料")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.unit.name

    def clean(self) -> None:
        if self.unit_id and self.unit.kind != UnitKind.SCHOOL:
            raise ValidationError({"unit": _("须为学校")})


class Term(models.Model):
    """A school term (学期), the period of every programme."""

    code = models.CharField(_("学期编码"), max_length=16, unique=True, help_text=_("如 2010-2（2010年秋季学期）"))
    name = models.CharField(_("学期名称"), max_length=50)
    first_day = models.DateField(_("开学日期"))
    last_day = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        ordering = ["first_day"]
        constraints = [models.CheckConstraint(condition=models.Q(last_day__gt=models.F("first_day")),
                                              name="subsidies_term_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class Eligibility(models.TextChoices):
    ALL = "all", _("所有在册学生")
    BOARDERS = "boarders", _("仅住宿生")
    REMOTE = "remote", _("仅边远乡镇学生")
    COLD_SCHOOL = "cold_school", _("仅高寒地区学校")


class Programme(models.Model):
    """A subsidy programme (资助项目): who is eligible, how much per pupil and term, from which budget
    account it is paid, and the matter of the bureau's subsidy office its batches are cases of."""

    scope_rule = ScopeRule(units=("bureau",), roles=OFFICERS)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("项目编码"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=100)
    bureau = models.ForeignKey("org.OrgUnit", verbose_name=_("主管局"), on_delete=models.PROTECT,
                               related_name="subsidy_programmes", limit_choices_to={"kind": UnitKind.BUREAU})
    eligibility = models.CharField(_("资助条件"), max_length=16, choices=Eligibility.choices, default=Eligibility.ALL)
    amount_fen = models.PositiveIntegerField(_("每生每学期金额（分）"))
    matter = models.OneToOneField("hall.Matter", verbose_name=_("审批事项"), on_delete=models.PROTECT,
                                  related_name="subsidy_programme",
                                  help_text=_("资助管理中心的事项：审批时限由它的承诺时限决定"))
    account = models.ForeignKey("ledger.Account", verbose_name=_("预算账户"), on_delete=models.PROTECT,
                                related_name="subsidy_programmes")
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("资助项目")
        verbose_name_plural = _("资助项目")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.bureau_id and self.bureau.kind != UnitKind.BUREAU:
            errors["bureau"] = _("须为主管局")
        if self.bureau_id and self.matter_id and not self.bureau.contains(self.matter.department):
            errors["matter"] = _("审批事项须属于本局下设的部门")
        if self.bureau_id and self.account_id and not self.bureau.contains(self.account.unit):
            errors["account"] = _("预算账户须属于本局或其下设单位")
        if errors:
            raise ValidationError(errors)


class Pupil(models.Model):
    scope_rule = ScopeRule(units=("school",), roles=SUBSIDY_ROLES)
    objects = ScopedQuerySet.as_manager()

    resident_id = models.CharField(_("身份证号"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    school = models.ForeignKey("org.OrgUnit", verbose_name=_("学校"), on_delete=models.PROTECT,
                               related_name="pupils", limit_choices_to={"kind": UnitKind.SCHOOL})
    township = models.ForeignKey(Township, verbose_name=_("户籍乡镇"), on_delete=models.PROTECT,
                                 related_name="pupils")
    boarder = models.BooleanField(_("住宿生"), default=False)
    grade = models.CharField(_("年级"), max_length=20, blank=True)
    active = models.BooleanField(_("在读"), default=True)

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["school__path", "resident_id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.resident_id}）"


class BatchState(models.TextChoices):
    SUBMITTED = "submitted", _("待审批")
    REFUSING = "refusing", _("拟不予批准")
    PAID = "paid", _("已批准拨付")
    REFUSED = "refused", _("不予批准")


class Batch(models.Model):
    """A school's application for some of its pupils, for one programme and term (资助申请批次)."""

    # The school's clerk and the bureau's officers see it by the school; the subsidy office's head,
    # who confirms refusals, by the window it was received at.
    scope_rule = ScopeRule(units=("school", "case__window"), roles=BATCH_ROLES)
    objects = ScopedQuerySet.as_manager()

    programme = models.ForeignKey(Programme, verbose_name=_("资助项目"), on_delete=models.PROTECT,
                                  related_name="batches")
    term = models.ForeignKey(Term, verbose_name=_("学期"), on_delete=models.PROTECT, related_name="batches")
    school = models.ForeignKey("org.OrgUnit", verbose_name=_("学校"), on_delete=models.PROTECT,
                               related_name="subsidy_batches")
    case = models.OneToOneField("hall.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                                related_name="subsidy_batch")
    state = models.CharField(_("状态"), max_length=16, choices=BatchState.choices, default=BatchState.SUBMITTED,
                             db_index=True)
    pupils = models.PositiveIntegerField(_("人数"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    submitted_at = models.DateTimeField(_("申报时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申报人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField("ledger.Entry", verbose_name=_("拨付分录"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="subsidy_batch")
    note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("资助申请批次")
        verbose_name_plural = _("资助申请批次")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["school", "term"])]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.programme.name}"

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)


class Grant(models.Model):
    """One pupil in a batch: the amount and, as they stood when the school applied, the pupil's
    boarding status (for the figures' share of boarders)."""

    scope_rule = ScopeRule(units=("batch__school", "batch__case__window"), roles=BATCH_ROLES)
    objects = ScopedQuerySet.as_manager()

    batch = models.ForeignKey(Batch, verbose_name=_("申请批次"), on_delete=models.PROTECT, related_name="grants")
    pupil = models.ForeignKey(Pupil, verbose_name=_("学生"), on_delete=models.PROTECT, related_name="grants")
    programme = models.ForeignKey(Programme, verbose_name=_("资助项目"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("学期"), on_delete=models.PROTECT, related_name="+")
    amount_fen = models.PositiveIntegerField(_("金额（分）"))
    boarder = models.BooleanField(_("住宿生"))
    counted = models.BooleanField(_("计入"), default=True, help_text=_("不予批准的批次不再计入"))

    class Meta:
        verbose_name = _("资助名单")
        verbose_name_plural = _("资助名单")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "programme", "term"], condition=models.Q(counted=True),
                                    name="subsidies_grant_once_per_programme_and_term"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.programme} {self.term}"

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)
