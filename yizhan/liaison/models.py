"""Liaison points (联系点) of the education bureau: each leader follows one school at a time, visits
it, records findings and the problems raised (each a follow-up item on the clock), and the bureau's
campaign brief (简报) collects a period's entries into a numbered issue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

LIAISON_ROLES = (Role.LIAISON_LEADER,)


class LiaisonPoint(models.Model):
    scope_rule = ScopeRule(units=("school",), roles=LIAISON_ROLES)
    objects = ScopedQuerySet.as_manager()

    school = models.ForeignKey("org.OrgUnit", verbose_name=_("学校"), on_delete=models.PROTECT,
                               related_name="liaison_points")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("联系领导"), on_delete=models.PROTECT,
                               related_name="liaison_points")
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        ordering = ["school__path", "-started_on"]

    def __str__(self) -> str:
        return f"{self.school.name} · {self.leader.get_full_name() or self.leader.username}"


class Visit(models.Model):
    scope_rule = ScopeRule(units=("point__school",), roles=LIAISON_ROLES)
    objects = ScopedQuerySet.as_manager()

    point = models.ForeignKey(LiaisonPoint, verbose_name=_("联系点"), on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    findings = models.TextField(_("走访情况"))
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.point.school.name} {self.visited_on}"


class Problem(models.Model):
    scope_rule = ScopeRule(units=("visit__point__school",), roles=LIAISON_ROLES)
    objects = ScopedQuerySet.as_manager()

    visit = models.ForeignKey(Visit, verbose_name=_("走访"), on_delete=models.PROTECT, related_name="problems")
    description = models.CharField(_("问题"), max_length=300)
    follow_up = models.OneToOneField("followups.FollowUp", verbose_name=_("督办事项"), on_delete=models.PROTECT,
                                     related_name="liaison_problem")

    class Meta:
        verbose_name = _("反映问题")
        verbose_name_plural = _("反映问题")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.description


class BriefIssue(models.Model):
    scope_rule = ScopeRule(units=("bureau",), roles=LIAISON_ROLES)
    objects = ScopedQuerySet.as_manager()

    bureau = models.ForeignKey("org.OrgUnit", verbose_name=_("主管局"), on_delete=models.PROTECT,
                               related_name="brief_issues")
    number = models.PositiveSmallIntegerField(_("期号"))
    first_day = models.DateField(_("起始日期"))
    last_day = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=200)
    issued_at = models.DateTimeField(_("编发时间"))

    class Meta:
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")
        ordering = ["bureau", "-number"]
        constraints = [models.UniqueConstraint(fields=["bureau", "number"], name="liaison_brief_number")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"
