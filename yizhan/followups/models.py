"""Follow-up items on the clock (督办事项): what a council adopted, an assessment or audit found, or a
leader's visit raised, given to an owner with a deadline, done, and — where the rule asks — verified.

One model for every app: the app names its `kind` ("councils.proposal", "quality.corrective_action")
and points at its own object (`subject_type`/`subject_id`, as the clock's timers do). The deadline is
a clock timer, so a follow-up gets the working-day calendar, warnings and accountability of the
hall's cases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import Role
from yizhan.org.scope import ScopedQuerySet, ScopeRule

# Everyone who may own, assign or oversee follow-ups of a unit's subtree.
FOLLOW_UP_ROLES = (
    Role.FOLLOW_UP_OWNER, Role.COUNCIL_SECRETARY, Role.ASSESSOR, Role.QUALITY_MANAGER, Role.LIAISON_LEADER,
    Role.PROPERTY_MANAGER, Role.DEPARTMENT_HEAD, Role.EPIDEMIOLOGIST, Role.TRAINING_OFFICER,
)


class FollowUpState(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已办结")
    VERIFIED = "verified", _("已验证")
    CANCELLED = "cancelled", _("已撤销")


class FollowUp(models.Model):
    scope_rule = ScopeRule(units=("unit",), roles=FOLLOW_UP_ROLES)
    objects = ScopedQuerySet.as_manager()

    kind = models.CharField(_("类别"), max_length=40, db_index=True)
    subject_type = models.CharField(_("来源类型"), max_length=64)
    subject_id = models.CharField(_("来源编号"), max_length=64)
    title = models.CharField(_("事项"), max_length=300)
    detail = models.TextField(_("要求"), blank=True)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("责任单位"), on_delete=models.PROTECT,
                             related_name="follow_ups")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="follow_ups")
    state = models.CharField(_("状态"), max_length=16, choices=FollowUpState.choices, default=FollowUpState.OPEN,
                             db_index=True)
    needs_verification = models.BooleanField(_("须验证效果"), default=False)
    opened_at = models.DateTimeField(_("交办时间"))
    # Set by the service right after the row is inserted (the timer's subject is this row).
    timer = models.OneToOneField("clock.Timer", verbose_name=_("办理时限"), null=True, on_delete=models.PROTECT,
                                 related_name="follow_up")
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_note = models.TextField(_("办理情况"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    on_time = models.BooleanField(_("按时办结"), null=True)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验证人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    verification_note = models.TextField(_("验证意见"), blank=True)
    reopened = models.PositiveSmallIntegerField(_("退回次数"), default=0)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["state", "timer__deadline", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"]), models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self):
        return self.timer.deadline
