"""The queue and calling (排队叫号).

A kiosk issues numbers per matter group and day (A001, A002, … restarting each local day). A window
calls the oldest waiting number of the groups it serves; the called person either comes (serving,
then done) or does not: a number may be skipped as a no-show only after it was called again at least
once (a recall). The wait of a number is from its issue to its first call; waits are figures of
their own (`queue_figures`).

A window holds at most one current number (called or serving). Calling the next one finishes the
number being served; a number called but not yet come must be recalled or skipped first.

Each function runs in one transaction, locks the row it changes and writes one audit event."""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import local_date
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.models import CURRENT_STATES, Case, QueueGroup, Ticket, TicketState
from yizhan.hall.service import audit, locked, resolve_at
from yizhan.hall.stats import period_bounds
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_STAFF, covers

RECALLS_BEFORE_SKIP = 1  # a no-show is skipped only after one recall (two calls in all)


def _require_window_staff(user: Any, window: OrgUnit) -> None:
    if window.kind != UnitKind.WINDOW:
        raise InvalidInput(_("%(unit)s 不是窗口") % {"unit": window.name}, field="window", rule="not_a_window")
    if not covers(user, HALL_STAFF, window):
        raise NotPermitted(_("你不是 %(window)s 的工作人员") % {"window": window.name}, field="window",
                           rule="not_window_staff")


def _require_state(ticket: Ticket, allowed: tuple[str, ...], action: Any) -> None:
    if ticket.state not in allowed:
        raise IllegalTransition(
            _("%(label)s 当前为“%(state)s”，不能%(action)s") % {
                "label": ticket.label, "state": ticket.get_state_display(), "action": action},
            field="state", rule="ticket_state")


def issue_ticket(group: QueueGroup, *, at: datetime | None = None, actor: Any = None,
                 actor_label: str = "kiosk") -> Ticket:
    """The next number of `group` for the local day of `at` (the kiosk needs no login)."""
    at = resolve_at(at)
    if not group.active:
        raise InvalidInput(_("取号分组 %(group)s 已停用") % {"group": group.name}, field="group", rule="inactive")
    day = local_date(at)
    with transaction.atomic():
        group = locked(group)  # serialises numbering within the group
        last = Ticket.objects.filter(group=group, day=day).aggregate(n=Max("number"))["n"] or 0
        ticket = Ticket.objects.create(group=group, day=day, number=last + 1, issued_at=at)
        audit("hall.ticket.issued", ticket, actor=actor, actor_label=actor_label, at=at, label=ticket.label)
    return ticket


def current_ticket(window: OrgUnit) -> Ticket | None:
    """The number a window has called or is serving, if any."""
    return (Ticket.objects.select_related("group").filter(window=window, state__in=CURRENT_STATES)
            .order_by("-last_called_at", "-id").first())


def waiting_for(window: OrgUnit, day: date) -> QuerySet[Ticket]:
    """The numbers of `day` waiting for the groups `window` calls, oldest first."""
    return (Ticket.objects.select_related("group")
            .filter(day=day, state=TicketState.WAITING, group__windows=window, group__active=True)
            .order_by("issued_at", "id"))


def call_next(window: OrgUnit, *, by: Any, at: datetime | None = None) -> Ticket:
    """Call the oldest waiting number to `window`, finishing the number it was serving."""
    at = resolve_at(at)
    _require_window_staff(by, window)
    with transaction.atomic():
        current = current_ticket(window)
        if current is not None:
            current = locked(current)
            if current.state == TicketState.CALLED:
                raise IllegalTransition(
                    _("%(label)s 已叫号尚未到窗口：请重呼或过号后再叫下一位") % {"label": current.label},
                    field="state", rule="called_not_served")
            if current.state == TicketState.SERVING:
                _finish(current, by=by, at=at)
        # skip_locked: two windows calling at once each get a different number (PostgreSQL; SQLite
        # serialises write transactions anyway).
        ticket = (waiting_for(window, local_date(at)).select_for_update(skip_locked=True, of=("self",))
                  .first())
        if ticket is None:
            raise IllegalTransition(_("没有等候的号"), field="queue", rule="queue_empty")
        ticket.state, ticket.window, ticket.called_by = TicketState.CALLED, window, by
        ticket.called_at = ticket.last_called_at = at
        ticket.calls = 1
        ticket.save(update_fields=["state", "window", "called_by", "called_at", "last_called_at", "calls"])
        audit("hall.ticket.called", ticket, actor=by, actor_label="", at=at, label=ticket.label, window=window.code,
              waited_seconds=ticket.waited_seconds)
    return ticket


def _step(ticket: Ticket, *, by: Any, at: datetime | None, allowed: tuple[str, ...], action: Any, event: str,
          apply: Any) -> Ticket:
    """One step on a called number by staff of its window: `apply(ticket, at)` changes it and returns
    (fields to save, extra audit data)."""
    at = resolve_at(at)
    with transaction.atomic():
        ticket = locked(ticket, "group", "window")
        _require_state(ticket, allowed, action)
        _require_window_staff(by, ticket.window)
        fields, extra = apply(ticket, at)
        ticket.save(update_fields=fields)
        audit(event, ticket, actor=by, actor_label="", at=at, label=ticket.label, **extra)
    return ticket


def recall(ticket: Ticket, *, by: Any, at: datetime | None = None) -> Ticket:
    """Call the same number again (重呼)."""
    def apply(t: Ticket, now: datetime):
        t.calls += 1
        t.last_called_at = now
        return ["calls", "last_called_at"], {"calls": t.calls}

    return _step(ticket, by=by, at=at, allowed=(TicketState.CALLED,), action=_("重呼"), event="hall.ticket.recalled",
                 apply=apply)


def skip(ticket: Ticket, *, by: Any, at: datetime | None = None) -> Ticket:
    """A called number that did not come, after a recall, is skipped (过号)."""
    def apply(t: Ticket, now: datetime):
        if t.calls < 1 + RECALLS_BEFORE_SKIP:
            raise IllegalTransition(_("%(label)s 须重呼一次后才能过号") % {"label": t.label}, field="calls",
                                    rule="recall_first")
        t.state, t.finished_at = TicketState.NO_SHOW, now
        return ["state", "finished_at"], {"calls": t.calls}

    return _step(ticket, by=by, at=at, allowed=(TicketState.CALLED,), action=_("过号"), event="hall.ticket.no_show",
                 apply=apply)


def start_serving(ticket: Ticket, *, by: Any, at: datetime | None = None) -> Ticket:
    """The called person has come to the window."""
    def apply(t: Ticket, now: datetime):
        t.state, t.served_at = TicketState.SERVING, now
        return ["state", "served_at"], {}

    return _step(ticket, by=by, at=at, allowed=(TicketState.CALLED,), action=_("开始办理"), event="hall.ticket.serving",
                 apply=apply)


def attach_case(ticket: Ticket, case: Case, *, by: Any, at: datetime | None = None) -> Ticket:
    """Record which case the number being served led to (a receipt carries both)."""
    def apply(t: Ticket, now: datetime):
        if case.window_id != t.window_id:
            raise InvalidInput(_("办件 %(no)s 不是本窗口的办件") % {"no": case.case_no}, field="case",
                               rule="other_window")
        t.case = case
        return ["case"], {"case": case.case_no}

    return _step(ticket, by=by, at=at, allowed=(TicketState.SERVING,), action=_("关联办件"), event="hall.ticket.case",
                 apply=apply)


def finish(ticket: Ticket, *, by: Any, at: datetime | None = None) -> Ticket:
    """The number being served is done."""
    return _step(ticket, by=by, at=at, allowed=(TicketState.SERVING,), action=_("结束"), event="hall.ticket.done",
                 apply=lambda t, now: _finished(t, now))


def _finished(ticket: Ticket, at: datetime) -> tuple[list[str], dict]:
    ticket.state, ticket.finished_at = TicketState.DONE, at
    return ["state", "finished_at"], {}


def _finish(ticket: Ticket, *, by: Any, at: datetime) -> None:
    fields, _extra = _finished(ticket, at)
    ticket.save(update_fields=fields)
    audit("hall.ticket.done", ticket, actor=by, actor_label="", at=at, label=ticket.label)


def being_called(day: date, *, limit: int = 8) -> list[Ticket]:
    """The numbers now called or served at a window on `day`, latest call first (the board's list)."""
    return list(Ticket.objects.select_related("group", "window")
                .filter(day=day, state__in=CURRENT_STATES).order_by("-last_called_at", "-id")[:limit])


@dataclass(frozen=True)
class QueueFigures:
    issued: int
    called: int
    no_shows: int
    waiting: int
    mean_wait_minutes: float | None
    median_wait_minutes: float | None
    max_wait_minutes: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


QUEUE_FIGURE_LABELS = {
    "issued": _("取号数"),
    "called": _("叫号数"),
    "no_shows": _("过号数"),
    "waiting": _("等候中"),
    "mean_wait_minutes": _("平均等候（分钟）"),
    "median_wait_minutes": _("等候中位数（分钟）"),
    "max_wait_minutes": _("最长等候（分钟）"),
}


def _tickets(first: date, last: date, unit: OrgUnit | None) -> QuerySet[Ticket]:
    start, end = period_bounds(first, last)
    qs = Ticket.objects.filter(issued_at__gte=start, issued_at__lt=end)
    if unit is not None:
        qs = qs.filter(group__unit__path__startswith=unit.path)
    return qs


def queue_figures(first: date, last: date, *, unit: OrgUnit | None = None,
                  tickets: QuerySet[Ticket] | None = None) -> QueueFigures:
    """Numbers issued in the period (local dates, inclusive) and their waits to the first call.
    `tickets` narrows the rows further (a screen passes the viewer's scope)."""
    qs = _tickets(first, last, unit) if tickets is None else tickets.filter(pk__in=_tickets(first, last, unit))
    rows = list(qs.values_list("state", "issued_at", "called_at"))
    waits = [(c - i).total_seconds() / 60 for _s, i, c in rows if c is not None]
    return QueueFigures(
        issued=len(rows),
        called=len(waits),
        no_shows=sum(1 for s, _i, _c in rows if s == TicketState.NO_SHOW),
        waiting=sum(1 for s, _i, _c in rows if s == TicketState.WAITING),
        mean_wait_minutes=round(sum(waits) / len(waits), 1) if waits else None,
        median_wait_minutes=round(median(waits), 1) if waits else None,
        max_wait_minutes=round(max(waits), 1) if waits else None,
    )


def daily_waits(first: date, last: date, *, tickets: QuerySet[Ticket] | None = None) -> list[dict[str, Any]]:
    """Per local day of the period: numbers called and their median wait in minutes (for the charts)."""
    qs = _tickets(first, last, None) if tickets is None else tickets.filter(pk__in=_tickets(first, last, None))
    by_day: dict[date, list[float]] = {}
    for day, issued, called in qs.filter(called_at__isnull=False).values_list("day", "issued_at", "called_at"):
        by_day.setdefault(day, []).append((called - issued).total_seconds() / 60)
    return [{"day": d, "called": len(w), "median_wait_minutes": round(median(w), 1)} for d, w in sorted(by_day.items())]
