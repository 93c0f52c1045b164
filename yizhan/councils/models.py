"""Proposal councils (议事会): a council per branch (an office under the construction company), its
members, a meeting each quarter with agenda, attendance and minutes, and the members' proposals,
each decided once: adopted (a follow-up item on the clock), referred to a unit, or rejected with a
reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

COUNCIL_ROLES = (Role.COUNCIL_SECRETARY,)


class Council(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=COUNCIL_ROLES)
    objects = ScopedQuerySet.as_manager()

    unit = models.OneToOneField("org.OrgUnit", verbose_name=_("所属支部"), on_delete=models.PROTECT,
                                related_name="council")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    scope_rule = ScopeRule(units=("council__unit",), roles=COUNCIL_ROLES)
    objects = ScopedQuerySet.as_manager()

    council = models.ForeignKey(Council, verbose_name=_("议事会"), on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="council_memberships")
    active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("议事会成员")
        verbose_name_plural = _("议事会成员")
        ordering = ["council", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="councils_member_unique")]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    scope_rule = ScopeRule(units=("council__unit",), roles=COUNCIL_ROLES)
    objects = ScopedQuerySet.as_manager()

    council = models.ForeignKey(Council, verbose_name=_("议事会"), on_delete=models.PROTECT, related_name="meetings")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    held_on = models.DateField(_("召开日期"))
    agenda = models.TextField(_("议程"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    attendees = models.ManyToManyField(Member, verbose_name=_("出席成员"), blank=True, related_name="meetings")
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议事会会议")
        verbose_name_plural = _("议事会会议")
        ordering = ["council", "-year", "-quarter"]
        constraints = [models.UniqueConstraint(fields=["council", "year", "quarter"], name="councils_meeting_quarter")]

    def __str__(self) -> str:
        return f"{self.council} {self.year}Q{self.quarter}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("待议")
    ADOPTED = "adopted", _("采纳")
    REFERRED = "referred", _("转交办理")
    REJECTED = "rejected", _("不予采纳")


class Proposal(models.Model):
    scope_rule = ScopeRule(units=("meeting__council__unit",), roles=COUNCIL_ROLES)
    objects = ScopedQuerySet.as_manager()

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveSmallIntegerField(_("序号"))
    proposer = models.ForeignKey(Member, verbose_name=_("提议人"), on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("议题"), max_length=200)
    content = models.TextField(_("内容"), blank=True)
    submitted_on = models.DateField(_("提交日期"))
    outcome = models.CharField(_("决定"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING,
                               db_index=True)
    reason = models.TextField(_("理由"), blank=True)
    referred_to = models.ForeignKey("org.OrgUnit", verbose_name=_("转交单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="referred_proposals")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    follow_up = models.OneToOneField("followups.FollowUp", verbose_name=_("督办事项"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="council_proposal")

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="councils_proposal_number")]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.number} {self.title}"
