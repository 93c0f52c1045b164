"""Timers: one per deadline of anything (a case's promised and statutory limits, a one-time notice,
a rating to rectify, an outbreak signal to verify), so warnings and accountability work the same way
for all of them."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import current_calendar
from yizhan.clock.limits import Limit, LimitUnit
from yizhan.clock.warnings import Level, warning_level


class PauseReason(models.TextChoices):
    # 行政许可法 第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审 do not count toward the limit;
    # waiting for the applicant's supplements (补正) does not either.
    HEARING = "hearing", _("听证")
    INSPECTION = "inspection", _("现场核查/检验检疫")
    TESTING = "testing", _("检测鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    PUBLIC_NOTICE = "public_notice", _("公示公告")
    TENDER = "tender", _("招标拍卖")
    SUPPLEMENT = "supplement", _("补正材料")


class Timer(models.Model):
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.CharField(_("对象编号"), max_length=64)
    purpose = models.CharField(_("用途"), max_length=32)
    limit_amount = models.PositiveIntegerField(_("时限"))
    limit_unit = models.CharField(_("单位"), max_length=2, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS)
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("到期时间"), db_index=True)
    provisional = models.BooleanField(
        _("临时期限"), default=False, help_text=_("期限跨入尚无国务院节假日安排的年份，按周一至周五临时计算")
    )
    paused_since = models.DateTimeField(_("暂停自"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accountable = models.BooleanField(_("超时问责"), default=False)

    class Meta:
        verbose_name = _("计时器")
        verbose_name_plural = _("计时器")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["stopped_at", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.subject_type}:{self.subject_id} → {self.deadline:%Y-%m-%d %H:%M}"

    @property
    def limit(self) -> Limit:
        return Limit(self.limit_amount, LimitUnit(self.limit_unit))

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.paused_since is None

    @property
    def overdue_at_stop(self) -> bool:
        return self.stopped_at is not None and self.stopped_at > self.deadline

    def level(self, now: datetime | None = None) -> Level:
        return warning_level(self, now or timezone.now(), current_calendar())


class TimerPause(models.Model):
    timer = models.ForeignKey(Timer, verbose_name=_("计时器"), on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("暂停原因"), max_length=32, choices=PauseReason.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("暂停开始"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_at:%Y-%m-%d}–{self.ended_at or '…'}"


class AccountabilityRecord(models.Model):
    """问责: a deadline that passed with the item still open (or closed late), against whom."""

    timer = models.OneToOneField(Timer, verbose_name=_("计时器"), on_delete=models.PROTECT, related_name="accountability")
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("责任窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("责任部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(_("到期时间"))
    days_overdue = models.PositiveIntegerField(_("超期"), help_text=_("工作日；按小时计时的为小时数"))
    created_at = models.DateTimeField(_("记录时间"), db_index=True)

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} +{self.days_overdue}"
