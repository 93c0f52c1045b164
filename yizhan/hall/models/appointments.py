"""Appointments outside office hours (延时服务制): lunch break, evening, weekend."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import UnitKind
from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class Slot(models.TextChoices):
    LUNCH = "lunch", _("午间")
    EVENING = "evening", _("晚间")
    WEEKEND = "weekend", _("周末及节假日")


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    RECEIVED = "received", _("已收件")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("未到场")


class Appointment(models.Model):
    scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    booking_no = models.CharField(_("预约号"), max_length=24, unique=True)
    matter = models.ForeignKey("hall.Matter", verbose_name=_("事项"), on_delete=models.PROTECT,
                               related_name="appointments")
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("窗口"), on_delete=models.PROTECT,
                               related_name="appointments", limit_choices_to={"kind": UnitKind.WINDOW})
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_phone = models.CharField(_("联系电话"), max_length=32)
    starts_at = models.DateTimeField(_("预约时间"), db_index=True)
    slot = models.CharField(_("时段"), max_length=16, choices=Slot.choices)
    state = models.CharField(_("状态"), max_length=16, choices=AppointmentState.choices,
                             default=AppointmentState.BOOKED, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    booked_at = models.DateTimeField(_("预约提交时间"))
    case = models.OneToOneField("hall.Case", verbose_name=_("办件"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="appointment")
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("延时服务预约")
        verbose_name_plural = _("延时服务预约")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["window", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.booking_no} {self.starts_at:%Y-%m-%d %H:%M}"
