"""One-time notices (一次性告知, 行政许可法 Art. 32)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class NoticeState(models.TextChoices):
    ISSUED = "issued", _("待补正")
    SATISFIED = "satisfied", _("已补齐")
    SUPERSEDED = "superseded", _("已被后续告知取代")


class Notice(models.Model):
    scope_rule = ScopeRule(units=("case__window",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    case = models.ForeignKey("hall.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="notices")
    seq = models.PositiveIntegerField(_("序号"))
    state = models.CharField(_("状态"), max_length=16, choices=NoticeState.choices, default=NoticeState.ISSUED)
    issued_at = models.DateTimeField(_("告知时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("告知人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    satisfied_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)
    # A later notice naming a material the first did not list needs a hall supervisor's override.
    override_reason = models.TextField(_("增补理由"), blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准增补"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("一次性告知书")
        verbose_name_plural = _("一次性告知书")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="hall_notice_unique_seq")]

    def __str__(self) -> str:
        return f"{self.case.case_no} #{self.seq}"


class NoticeItem(models.Model):
    notice = models.ForeignKey(Notice, verbose_name=_("告知书"), on_delete=models.CASCADE, related_name="items")
    material = models.ForeignKey("hall.Material", verbose_name=_("材料"), on_delete=models.PROTECT,
                                 related_name="+")
    # Copied so the printed notice stays what was issued even if the catalog changes later.
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("原件/复印件"), max_length=16)
    copies = models.PositiveSmallIntegerField(_("份数"))
    condition = models.CharField(_("适用情形"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("告知材料")
        verbose_name_plural = _("告知材料")
        ordering = ["notice", "id"]

    def __str__(self) -> str:
        return self.name
