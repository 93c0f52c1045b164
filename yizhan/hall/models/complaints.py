"""Complaints (投诉): every one gets a finding and a reply (件件有回复)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class Finding(models.TextChoices):
    VALID = "valid", _("有效投诉")
    INVALID = "invalid", _("无效投诉")


class Complaint(models.Model):
    scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    case = models.ForeignKey("hall.Case", verbose_name=_("办件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="complaints")
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("被投诉窗口"), on_delete=models.PROTECT,
                               related_name="complaints")
    department = models.ForeignKey("org.OrgUnit", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    complainant = models.CharField(_("投诉人"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    content = models.TextField(_("投诉内容"))
    received_at = models.DateTimeField(_("投诉时间"), db_index=True)
    finding = models.CharField(_("认定"), max_length=16, choices=Finding.choices, blank=True)
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
