"""Consultations (咨询) under first-inquiry responsibility (首问负责制)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import UnitKind
from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class ConsultationState(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class Consultation(models.Model):
    scope_rule = ScopeRule(units=("window", "current_window"), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    asker_name = models.CharField(_("咨询人"), max_length=100)
    asker_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    question = models.TextField(_("咨询内容"))
    window = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("首问窗口"), on_delete=models.PROTECT, related_name="consultations",
        limit_choices_to={"kind": UnitKind.WINDOW},
    )
    department = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("首问部门"), on_delete=models.PROTECT, related_name="+",
    )
    # 首问负责人: stays responsible until the question is answered, whoever it was referred to.
    first_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("首问负责人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="first_inquiries",
    )
    current_window = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("当前窗口"), on_delete=models.PROTECT, related_name="+",
    )
    current_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("当前经办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("咨询时间"), db_index=True)
    state = models.CharField(_("状态"), max_length=16, choices=ConsultationState.choices,
                             default=ConsultationState.OPEN)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.asker_name}: {self.question[:30]}"

    @property
    def responsible_officer(self):
        """The first-inquiry officer while the question is open; nobody once it is answered."""
        return self.first_officer if self.state == ConsultationState.OPEN else None


class Referral(models.Model):
    """One hand-over of a consultation to another window/officer; the chain is kept in order."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.CASCADE, related_name="referrals"
    )
    seq = models.PositiveIntegerField(_("序号"))
    from_window = models.ForeignKey("org.OrgUnit", verbose_name=_("转出窗口"), on_delete=models.PROTECT,
                                    related_name="+")
    from_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("转出人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    to_window = models.ForeignKey("org.OrgUnit", verbose_name=_("转入窗口"), on_delete=models.PROTECT,
                                  related_name="+", limit_choices_to={"kind": UnitKind.WINDOW})
    to_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("转入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("转办说明"), max_length=500, blank=True)
    referred_at = models.DateTimeField(_("转办时间"))

    class Meta:
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")
        ordering = ["consultation", "seq"]
        constraints = [models.UniqueConstraint(fields=["consultation", "seq"], name="hall_referral_unique_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.from_window_id}→{self.to_window_id}"
