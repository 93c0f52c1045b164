"""Complaints (投诉): registered by phone (the hall's line or a supervision hotline) or online,
investigated against a deadline on the shared clock, found valid or not with a reason, and answered
(件件有回复)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.scope import HALL_STAFF, HALL_SUPERVISION, ScopedQuerySet, ScopeRule


class Finding(models.TextChoices):
    VALID = "valid", _("有效投诉")
    INVALID = "invalid", _("无效投诉")


class ComplaintChannel(models.TextChoices):
    ONLINE = "online", _("网上投诉")
    PHONE = "phone", _("电话投诉")
    SUPERVISION_HOTLINE = "hotline", _("服务质量监督热线")
    COUNTER = "counter", _("现场投诉")


class ComplaintState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    INVESTIGATING = "investigating", _("调查中")
    CONCLUDED = "concluded", _("已答复")


class Complaint(models.Model):
    scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF, change_roles=HALL_SUPERVISION)
    objects = ScopedQuerySet.as_manager()

    case = models.ForeignKey("hall.Case", verbose_name=_("办件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="complaints")
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("被投诉窗口"), on_delete=models.PROTECT,
                               related_name="complaints")
    department = models.ForeignKey("org.OrgUnit", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    staff = models.ForeignKey("hall.StaffProfile", verbose_name=_("被投诉人员"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="complaints")
    channel = models.CharField(_("投诉渠道"), max_length=16, choices=ComplaintChannel.choices,
                               default=ComplaintChannel.ONLINE)
    complainant = models.CharField(_("投诉人"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    content = models.TextField(_("投诉内容"))
    received_at = models.DateTimeField(_("投诉时间"), db_index=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=ComplaintState.choices,
                             default=ComplaintState.REGISTERED, db_index=True)
    timer = models.OneToOneField("clock.Timer", verbose_name=_("处理时限计时"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="complaint")
    investigation = models.TextField(_("调查情况"), blank=True)
    investigated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调查人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    finding = models.CharField(_("认定"), max_length=16, choices=Finding.choices, blank=True)
    reason = models.TextField(_("认定理由"), blank=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True, db_index=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.complainant}: {self.content[:30]}"

    @property
    def answered(self) -> bool:
        return self.replied_at is not None
