"""A council's quarterly meeting: held within its quarter, with agenda, attendance and minutes, and
published (the company paper's issue and the public page) once every proposal on it is decided."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.councils.models import COUNCIL_ROLES, Council, Meeting, Member, Outcome
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.org.scope import require_covers, require_permits


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def hold_meeting(council: Council, *, year: int, quarter: int, held_on: date, agenda: str,
                 attendees: Sequence[Member] = (), minutes: str = "", at: datetime | None = None,
                 actor: Any = None) -> Meeting:
    """One meeting per council and quarter, held on a day of that quarter; recorded by the
    council's secretary."""
    require_covers(actor, COUNCIL_ROLES, council.unit, field="council")
    at = resolve_at(at)
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput(_("季度须为 1–4"), field="quarter", rule="quarter_range")
    if quarter_of(held_on) != (year, quarter):
        raise InvalidInput(_("会议日期 %(d)s 不在 %(y)d 年第 %(q)d 季度内") % {"d": held_on, "y": year, "q": quarter},
                           field="held_on", rule="outside_quarter")
    agenda = (agenda or "").strip()
    if not agenda:
        raise InvalidInput(_("议程不能为空"), field="agenda", rule="required")
    strangers = [m.name for m in attendees if m.council_id != council.pk]
    if strangers:
        raise InvalidInput(_("出席人不是本议事会成员：%(n)s") % {"n": "、".join(strangers)}, field="attendees",
                           rule="not_a_member")
    with transaction.atomic():
        if Meeting.objects.filter(council=council, year=year, quarter=quarter).exists():
            raise InvalidInput(_("%(y)d 年第 %(q)d 季度的会议已登记") % {"y": year, "q": quarter}, field="quarter",
                               rule="one_per_quarter")
        meeting = Meeting.objects.create(council=council, year=year, quarter=quarter, held_on=held_on, agenda=agenda,
                                         minutes=(minutes or "").strip())
        meeting.attendees.set(attendees)
        record("councils.meeting.held", meeting, actor=actor, at=at, council=council.unit.code, year=year,
               quarter=quarter, held_on=held_on, attendees=[m.name for m in attendees])
    return meeting


def record_minutes(meeting: Meeting, *, minutes: str, attendees: list[Member] | None = None,
                   at: datetime | None = None, actor: Any = None) -> Meeting:
    require_permits(actor, meeting, field="meeting")
    at = resolve_at(at)
    minutes = (minutes or "").strip()
    if not minutes:
        raise InvalidInput(_("会议纪要不能为空"), field="minutes", rule="required")
    if attendees is not None and any(m.council_id != meeting.council_id for m in attendees):
        raise InvalidInput(_("出席人须是本议事会成员"), field="attendees", rule="not_a_member")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        old = meeting.minutes
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
        if attendees is not None:
            meeting.attendees.set(attendees)
        record("councils.meeting.minutes", meeting, actor=actor, at=at, minutes=[old, minutes],
               attendees=[m.name for m in meeting.attendees.all()])
    return meeting


def publish(meeting: Meeting, *, at: datetime | None = None, actor: Any = None) -> Meeting:
    """Publish the quarter's proposals; only when none is left undecided, and only once."""
    require_permits(actor, meeting, field="meeting")
    at = resolve_at(at)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.published_at is not None:
            raise IllegalTransition(_("本季度提案已公布"), field="published_at", rule="already_published")
        if not meeting.proposals.exists():
            raise IllegalTransition(_("本次会议没有提案可公布"), field="proposals", rule="nothing_to_publish")
        if meeting.proposals.filter(outcome=Outcome.PENDING).exists():
            raise IllegalTransition(_("尚有提案未作决定，不能公布"), field="proposals", rule="undecided")
        meeting.published_at = at
        meeting.save(update_fields=["published_at"])
        record("councils.meeting.published", meeting, actor=actor, at=at, published_at=[None, at])
    return meeting
