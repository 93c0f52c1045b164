"""Ratings of completed cases (好差评, GB/T 39734-2020) and the rectification of bad ones (差评整改)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.scope import HALL_STAFF, HALL_SUPERVISION, ScopedQuerySet, ScopeRule


class Score(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# 差评: the two lowest grades; each one is verified and rectified.
BAD_SCORES = (Score.DISSATISFIED, Score.VERY_DISSATISFIED)


class RatingSource(models.TextChoices):
    LOOKUP = "lookup", _("办件查询页")
    QR = "qr", _("办结通知书二维码")
    COUNTER = "counter", _("窗口评价器")


class Rating(models.Model):
    scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    # One rating per case: the unique key makes a second one impossible, even from two processes.
    case = models.OneToOneField("hall.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("评价"), choices=Score.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    source = models.CharField(_("评价渠道"), max_length=16, choices=RatingSource.choices,
                              default=RatingSource.LOOKUP)
    rated_at = models.DateTimeField(_("评价时间"), db_index=True)
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.OrgUnit", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-rated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case.case_no} {self.get_score_display()}"

    @property
    def is_bad(self) -> bool:
        return self.score in BAD_SCORES


class RectificationState(models.TextChoices):
    OPEN = "open", _("待核实")
    VERIFIED = "verified", _("已核实")
    CLOSED = "closed", _("已办结")


class Resolution(models.TextChoices):
    RECTIFIED = "rectified", _("已整改")
    EXPLAINED = "explained", _("已解释说明")


class Rectification(models.Model):
    """整改: a bad rating verified by the department head, then rectified or explained, with a reply
    to the applicant, within the limit on the shared clock."""

    scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF, change_roles=HALL_SUPERVISION)
    objects = ScopedQuerySet.as_manager()

    rating = models.OneToOneField(Rating, verbose_name=_("差评"), on_delete=models.PROTECT,
                                  related_name="rectification")
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.OrgUnit", verbose_name=_("责任部门"), on_delete=models.PROTECT,
                                   related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=RectificationState.choices,
                             default=RectificationState.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("生成时间"), db_index=True)
    timer = models.OneToOneField("clock.Timer", verbose_name=_("整改时限计时"), on_delete=models.PROTECT,
                                 related_name="rectification")
    substantiated = models.BooleanField(_("情况属实"), null=True, blank=True)
    verification = models.TextField(_("核实情况"), blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolution = models.CharField(_("处理结果"), max_length=16, choices=Resolution.choices, blank=True)
    measures = models.TextField(_("整改措施或情况说明"), blank=True)
    reply = models.TextField(_("回复申请人"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["state", "timer__deadline", "id"]

    def __str__(self) -> str:
        return f"{self.rating} ({self.get_state_display()})"
