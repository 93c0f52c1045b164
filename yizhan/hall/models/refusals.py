"""Refusals waiting for (or past) the second person's confirmation (否办退件把关)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class RefusalKind(models.TextChoices):
    REFUSE_TO_ACCEPT = "refuse_to_accept", _("不予受理")
    REFUSE_APPROVAL = "refuse_approval", _("不予许可")


class RefusalState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已退回")


class Refusal(models.Model):
    scope_rule = ScopeRule(units=("case__window",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    case = models.ForeignKey("hall.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="refusals")
    kind = models.CharField(_("类型"), max_length=20, choices=RefusalKind.choices)
    reason = models.TextField(_("理由"))
    legal_basis = models.TextField(_("法律依据"))
    state = models.CharField(_("状态"), max_length=16, choices=RefusalState.choices, default=RefusalState.PENDING,
                             db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("提出时间"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("把关人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("把关时间"), null=True, blank=True)
    review_note = models.TextField(_("把关意见"), blank=True)

    class Meta:
        verbose_name = _("否办退件")
        verbose_name_plural = _("否办退件")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.get_kind_display()} ({self.get_state_display()})"
