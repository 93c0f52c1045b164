"""Basic public-health service assessment (基本公共卫生服务 考核验收): the city's programmes with their
scoring sheets, and the CDC's assessment rounds of the township health centers and village clinics
that deliver them.

A programme's scoring sheet is its indicators: each has a maximum score, a weight and the evidence
the assessor checks on site. A unit's total in a round is the weighted share of the maximum it
scored, on 100 points (`yizhan.assessment.scoring`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

# Who sees the assessment: the CDC's assessors over their subtree, and the assessed units' own people
# (the follow-up owners who carry out the rectification); only assessors change it.
ASSESSMENT_VIEWERS = (Role.ASSESSOR, Role.FOLLOW_UP_OWNER, Role.EPIDEMIOLOGIST)
ASSESSORS = (Role.ASSESSOR,)


class Programme(models.Model):
    scope_rule = ScopeRule(units=("cdc",), roles=ASSESSMENT_VIEWERS, change_roles=ASSESSORS)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("项目名称"), max_length=100)
    cdc = models.ForeignKey("org.OrgUnit", verbose_name=_("疾控中心"), on_delete=models.PROTECT,
                            related_name="health_programmes")
    managed_by_cdc = models.BooleanField(_("由疾控中心管理考核"), default=True)
    lead_agency = models.CharField(_("牵头单位"), max_length=100, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("基本公共卫生服务项目")
        verbose_name_plural = _("基本公共卫生服务项目")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    scope_rule = ScopeRule(units=("programme__cdc",), roles=ASSESSMENT_VIEWERS, change_roles=ASSESSORS)
    objects = ScopedQuerySet.as_manager()

    programme = models.ForeignKey(Programme, verbose_name=_("项目"), on_delete=models.PROTECT,
                                  related_name="indicators")
    code = models.CharField(_("编码"), max_length=16, unique=True)
    name = models.CharField(_("考核指标"), max_length=200)
    max_score = models.DecimalField(_("满分"), max_digits=5, decimal_places=1)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=1)
    evidence_required = models.CharField(_("考核依据"), max_length=300, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["programme__sort", "sort", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="assessment_indicator_max_positive"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="assessment_indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RoundState(models.TextChoices):
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")


class Round(models.Model):
    scope_rule = ScopeRule(units=("cdc",), roles=ASSESSMENT_VIEWERS, change_roles=ASSESSORS)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    cdc = models.ForeignKey("org.OrgUnit", verbose_name=_("疾控中心"), on_delete=models.PROTECT,
                            related_name="assessment_rounds")
    programmes = models.ManyToManyField(Programme, verbose_name=_("考核项目"), related_name="rounds")
    pass_mark = models.DecimalField(_("合格分"), max_digits=5, decimal_places=1, default=80)
    rectification_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"), default=20)
    state = models.CharField(_("状态"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN)
    opened_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")
        ordering = ["-year", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(pass_mark__gte=0, pass_mark__lte=100),
                                              name="assessment_round_pass_mark_range")]

    def __str__(self) -> str:
        return self.name

    def indicators(self) -> models.QuerySet[Indicator]:
        return Indicator.objects.filter(programme__in=self.programmes.all()).select_related("programme")


class Assessment(models.Model):
    """One unit's sheet in a round; `total` and `complete` are kept by the scoring service."""

    scope_rule = ScopeRule(units=("unit",), roles=ASSESSMENT_VIEWERS, change_roles=ASSESSORS)
    objects = ScopedQuerySet.as_manager()

    round = models.ForeignKey(Round, verbose_name=_("考核轮次"), on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("受考核单位"), on_delete=models.PROTECT,
                             related_name="assessments")
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=0)
    scored = models.PositiveSmallIntegerField(_("已评指标数"), default=0)
    complete = models.BooleanField(_("评分完成"), default=False)
    passed = models.BooleanField(_("合格"), null=True)

    class Meta:
        verbose_name = _("单位考核")
        verbose_name_plural = _("单位考核")
        ordering = ["round", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="assessment_one_sheet_per_unit")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit.name}"


class Score(models.Model):
    scope_rule = ScopeRule(units=("assessment__unit",), roles=ASSESSMENT_VIEWERS, change_roles=ASSESSORS)
    objects = ScopedQuerySet.as_manager()

    assessment = models.ForeignKey(Assessment, verbose_name=_("单位考核"), on_delete=models.PROTECT,
                                   related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    # Evidence is a note of what was checked and where it is kept (archive box, register, document
    # number): the files themselves stay in the assessed unit's archive (docs/assessment.md).
    evidence_note = models.TextField(_("考核记录"), blank=True)
    evidence_ref = models.CharField(_("佐证材料出处"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("评分时间"))

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["assessment", "indicator__programme__sort", "indicator__sort"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="assessment_one_score_per_indicator"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="assessment_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.score}"
