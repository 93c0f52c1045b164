"""The queue (排队叫号): matter groups with a letter, tickets numbered per group and day (A023)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.org.models import UnitKind
from yizhan.org.scope import HALL_STAFF, ScopedQuerySet, ScopeRule


class QueueGroup(models.Model):
    """A group of matters sharing one line of numbers and the windows that call it."""

    scope_rule = ScopeRule(units=("unit",), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    letter = models.CharField(_("号段字母"), max_length=2, unique=True, help_text=_("取号前缀，如 A"))
    name = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("所属机构"), on_delete=models.PROTECT,
                             related_name="queue_groups", help_text=_("部门或中心；其人员可见本组的号"))
    windows = models.ManyToManyField("org.OrgUnit", verbose_name=_("叫号窗口"), related_name="queue_groups_called",
                                     limit_choices_to={"kind": UnitKind.WINDOW})
    matters = models.ManyToManyField("hall.Matter", verbose_name=_("事项"), blank=True, related_name="queue_groups")
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("取号分组")
        verbose_name_plural = _("取号分组")
        ordering = ["sort", "letter"]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class TicketState(models.TextChoices):
    WAITING = "waiting", _("等候")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已完成")
    NO_SHOW = "no_show", _("过号")


# A window holds at most one of these at a time.
CURRENT_STATES = (TicketState.CALLED, TicketState.SERVING)


class Ticket(models.Model):
    # Staff of the group's department see its numbers; a window's clerk sees those called to the window.
    scope_rule = ScopeRule(units=("group__unit", "window"), roles=HALL_STAFF)
    objects = ScopedQuerySet.as_manager()

    group = models.ForeignKey(QueueGroup, verbose_name=_("取号分组"), on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("日期"))
    number = models.PositiveIntegerField(_("序号"))
    state = models.CharField(_("状态"), max_length=12, choices=TicketState.choices, default=TicketState.WAITING,
                             db_index=True)
    issued_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("首次叫号时间"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("最近叫号时间"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("叫号次数"), default=0)
    window = models.ForeignKey("org.OrgUnit", verbose_name=_("叫号窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="tickets")
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("叫号人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    served_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    case = models.ForeignKey("hall.Case", verbose_name=_("办件"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="tickets")

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["day", "issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "day", "number"], name="hall_ticket_unique_number")]
        indexes = [models.Index(fields=["state", "day"]), models.Index(fields=["window", "state"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The number as printed and called: the group's letter and three digits (A023)."""
        return f"{self.group.letter}{self.number:03d}"

    @property
    def waited_seconds(self) -> float | None:
        return (self.called_at - self.issued_at).total_seconds() if self.called_at else None
