"""Cases (办件) and their materials. The state machine lives in `yizhan.hall.cases`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import UnitKind
from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("已收件")
    ACCEPTED = "accepted", _("已受理")
    UNDER_REVIEW = "under_review", _("审查中")
    DECIDED = "decided", _("已决定")
    COMPLETED = "completed", _("已办结")
    REFUSED_TO_ACCEPT = "refused_to_accept", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("准予许可")
    REFUSED = "refused", _("不予许可")
    REFUSED_TO_ACCEPT = "refused_to_accept", _("不予受理")
    WITHDRAWN = "withdrawn", _("申请人撤回")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Channel(models.TextChoices):
    COUNTER = "counter", _("窗口现场")
    ONLINE = "online", _("网上申报")
    APPOINTMENT = "appointment", _("预约办理")
    EXTENDED_HOURS = "extended_hours", _("延时服务")


OPEN_STATES = (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW, CaseState.DECIDED)


class Case(models.Model):
    scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    case_no = models.CharField(_("办件编号"), max_length=40, unique=True)
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("申请人"), max_length=200, blank=True)
    applicant_id = models.CharField(_("证件号码"), max_length=18, blank=True,
                                    help_text=_("自然人为居民身份证号码，法人或其他组织为统一社会信用代码"))
    applicant_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    matter = models.ForeignKey("hall.Matter", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases")
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("受理窗口"), on_delete=models.PROTECT,
                               related_name="cases", limit_choices_to={"kind": UnitKind.WINDOW})
    # Copied from the window so a department's cases are one indexed query.
    department = models.ForeignKey("org.OrgUnit", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="department_cases")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handled_cases")
    channel = models.CharField(_("受理渠道"), max_length=16, choices=Channel.choices, default=Channel.COUNTER)
    green_channel = models.BooleanField(_("绿色通道"), default=False, db_index=True)
    green_project = models.CharField(_("重点项目"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=CaseState.choices, default=CaseState.SUBMITTED,
                             db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    pending_refusal = models.BooleanField(_("否办待确认"), default=False)
    awaiting_supplement = models.BooleanField(_("待补正"), default=False)
    received_at = models.DateTimeField(_("收件时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True,
                                     help_text=_("办结、不予受理或撤回的时间"))
    promised_timer = models.OneToOneField("clock.Timer", verbose_name=_("承诺时限计时"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="promised_case")
    statutory_timer = models.OneToOneField("clock.Timer", verbose_name=_("法定时限计时"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="statutory_case")
    notice_timer = models.OneToOneField("clock.Timer", verbose_name=_("一次性告知计时"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="notice_case")

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "accepted_at"]),
            models.Index(fields=["window", "accepted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.matter.name if self.matter_id else ''}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def timers(self) -> list:
        return [t for t in (self.promised_timer, self.statutory_timer) if t is not None]


class CaseSequence(models.Model):
    """The last daily sequence number used for a prefix and local date (e.g. KP-20100301-00042)."""

    prefix = models.CharField(max_length=16)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件编号序列")
        verbose_name_plural = _("办件编号序列")
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="hall_casesequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.day:%Y%m%d} {self.last}"


class CaseMaterial(models.Model):
    """A checklist material of one case: whether a conditional one applies, and whether it was received."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey("hall.Material", verbose_name=_("材料"), on_delete=models.PROTECT,
                                 related_name="+")
    applicable = models.BooleanField(_("适用"), default=True)
    received_at = models.DateTimeField(_("收取时间"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("收取份数"), default=0)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("收取人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["case", "material__sort", "material_id"]
        constraints = [models.UniqueConstraint(fields=["case", "material"], name="hall_casematerial_unique")]

    def __str__(self) -> str:
        return str(self.material)
