"""The CDC's quality management (质量管理): internal audit plans and the audits of its departments,
findings against the clauses of the standard, and management reviews. Corrective actions and the
review's decisions are follow-up items on the clock (`yizhan.followups`), pointing at the finding or
the review, so they get the working-day deadline, warnings, accountability and the second-person
verification of their effect."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule
from yizhan.quality.clauses import STANDARD

# The quality manager runs the system; a department's head and follow-up owners see their own audits.
QUALITY_VIEWERS = (Role.QUALITY_MANAGER, Role.DEPARTMENT_HEAD, Role.FOLLOW_UP_OWNER)
QUALITY_MANAGERS = (Role.QUALITY_MANAGER,)


class AuditPlan(models.Model):
    scope_rule = ScopeRule(units=("cdc",), roles=QUALITY_VIEWERS, change_roles=QUALITY_MANAGERS)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("编码"), max_length=32, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    cdc = models.ForeignKey("org.OrgUnit", verbose_name=_("疾控中心"), on_delete=models.PROTECT,
                            related_name="audit_plans")
    standard = models.CharField(_("依据标准"), max_length=60, default=STANDARD)
    created_at = models.DateTimeField(_("制定时间"))

    class Meta:
        verbose_name = _("内部审核计划")
        verbose_name_plural = _("内部审核计划")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.title


class AuditState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    CONDUCTED = "conducted", _("已实施")


class Audit(models.Model):
    scope_rule = ScopeRule(units=("department",), roles=QUALITY_VIEWERS, change_roles=QUALITY_MANAGERS)
    objects = ScopedQuerySet.as_manager()

    plan = models.ForeignKey(AuditPlan, verbose_name=_("审核计划"), on_delete=models.PROTECT, related_name="audits")
    department = models.ForeignKey("org.OrgUnit", verbose_name=_("受审核部门"), on_delete=models.PROTECT,
                                   related_name="quality_audits")
    planned_on = models.DateField(_("计划日期"))
    lead_auditor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核组长"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=AuditState.choices, default=AuditState.PLANNED)
    conducted_on = models.DateField(_("实施日期"), null=True, blank=True)
    summary = models.TextField(_("审核结论"), blank=True)

    class Meta:
        verbose_name = _("内部审核")
        verbose_name_plural = _("内部审核")
        ordering = ["plan", "planned_on", "department__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "department"], name="quality_one_audit_per_department")]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.department.name}"


class FindingKind(models.TextChoices):
    NONCONFORMITY = "nonconformity", _("不符合项")
    OBSERVATION = "observation", _("观察项")


class Finding(models.Model):
    scope_rule = ScopeRule(units=("audit__department",), roles=QUALITY_VIEWERS, change_roles=QUALITY_MANAGERS)
    objects = ScopedQuerySet.as_manager()

    audit = models.ForeignKey(Audit, verbose_name=_("内部审核"), on_delete=models.PROTECT, related_name="findings")
    seq = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=16, choices=FindingKind.choices)
    clause = models.CharField(_("标准条款"), max_length=16)
    description = models.TextField(_("事实描述"))
    raised_at = models.DateTimeField(_("开具时间"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("开具人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("审核发现")
        verbose_name_plural = _("审核发现")
        ordering = ["audit", "seq"]
        constraints = [models.UniqueConstraint(fields=["audit", "seq"], name="quality_finding_seq")]

    def __str__(self) -> str:
        return f"{self.audit} #{self.seq} {self.clause}"


class ManagementReview(models.Model):
    scope_rule = ScopeRule(units=("cdc",), roles=QUALITY_VIEWERS, change_roles=QUALITY_MANAGERS)
    objects = ScopedQuerySet.as_manager()

    code = models.CharField(_("编码"), max_length=32, unique=True)
    cdc = models.ForeignKey("org.OrgUnit", verbose_name=_("疾控中心"), on_delete=models.PROTECT,
                            related_name="management_reviews")
    held_on = models.DateField(_("评审日期"))
    chair = models.CharField(_("主持人"), max_length=60)
    conclusion = models.TextField(_("评审结论"))
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("管理评审")
        verbose_name_plural = _("管理评审")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.chair}"


class ReviewTopic(models.TextChoices):
    """The inputs of a management review (GB/T 27025-2008 4.15.1)."""

    POLICIES = "policies", _("政策和程序的适用性")
    REPORTS = "reports", _("管理和监督人员的报告")
    AUDITS = "audits", _("近期内部审核的结果")
    ACTIONS = "actions", _("纠正措施和预防措施")
    EXTERNAL = "external", _("外部机构的评审")
    PROFICIENCY = "proficiency", _("实验室间比对或能力验证的结果")
    WORKLOAD = "workload", _("工作量和工作类型的变化")
    FEEDBACK = "feedback", _("客户反馈与投诉")
    IMPROVEMENT = "improvement", _("改进的建议")
    OTHER = "other", _("其他因素（质量控制、资源、培训）")


class ReviewInput(models.Model):
    scope_rule = ScopeRule(units=("review__cdc",), roles=QUALITY_VIEWERS, change_roles=QUALITY_MANAGERS)
    objects = ScopedQuerySet.as_manager()

    review = models.ForeignKey(ManagementReview, verbose_name=_("管理评审"), on_delete=models.PROTECT,
                               related_name="inputs")
    topic = models.CharField(_("输入"), max_length=16, choices=ReviewTopic.choices)
    summary = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("管理评审输入")
        verbose_name_plural = _("管理评审输入")
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "topic"], name="quality_review_topic_once")]

    def __str__(self) -> str:
        return self.get_topic_display()
