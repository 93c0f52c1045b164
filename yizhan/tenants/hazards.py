"""Checks of gas and wiring (and what a patrol finds): each hazard is a finding to fix within its
limit, a follow-up item that a second person verifies (`yizhan.followups.service.verify`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date
from yizhan.clock.limits import Limit
from yizhan.errors import InvalidInput
from yizhan.followups import service as followups
from yizhan.tenants.models import Finding, HazardCheck, HazardKind, Incident, Room
from yizhan.tenants.obligations import HAZARD, day_moment, require_manager

MAX_FIX_DAYS = 60


@dataclass
class FindingIn:
    kind: str
    description: str
    fix_days: int = 5


def _finding(room: Room, spec: FindingIn, *, found_on: date, actor: Any, check: HazardCheck | None = None,
             incident: Incident | None = None, index: int = 0) -> Finding:
    prefix = f"findings.{index}." if check is not None else ""
    if spec.kind not in HazardKind.values:
        raise InvalidInput(_("隐患类别须为 %(k)s 之一") % {"k": "、".join(HazardKind.values)}, field=prefix + "kind",
                           rule="choice")
    description = (spec.description or "").strip()
    if not description:
        raise InvalidInput(_("隐患情况不能为空"), field=prefix + "description", rule="required")
    if len(description) > Finding._meta.get_field("description").max_length:
        raise InvalidInput(_("隐患情况过长"), field=prefix + "description", rule="too_long")
    if not 1 <= spec.fix_days <= MAX_FIX_DAYS:
        raise InvalidInput(_("整改时限须为 1 至 %(n)d 个工作日") % {"n": MAX_FIX_DAYS}, field=prefix + "fix_days",
                           rule="fix_days_range")
    finding = Finding.objects.create(room=room, check_record=check, incident=incident, kind=spec.kind,
                                     description=description, fix_days=spec.fix_days)
    title = _("隐患整改：%(room)s %(kind)s — %(d)s") % {"room": room.code, "kind": HazardKind(spec.kind).label,
                                                  "d": description}
    finding.follow_up = followups.open_follow_up(finding, kind=HAZARD, title=title[:300], unit=room.building.unit,
                                                 limit=Limit.days(spec.fix_days), needs_verification=True,
                                                 at=day_moment(found_on), actor=actor)
    finding.save(update_fields=["follow_up"])
    record("tenants.hazard.found", finding, actor=actor, room=room.code, kind=spec.kind, description=description,
           fix_days=spec.fix_days, deadline=finding.follow_up.deadline)
    return finding


def record_check(room: Room, *, checked_on: date, findings: Sequence[FindingIn] = (), note: str = "",
                 actor: Any = None) -> HazardCheck:
    """A check of `room` on `checked_on`; each finding opens its follow-up, due `fix_days` later."""
    require_manager(actor, room, "room")
    if checked_on > local_date(timezone.now()):
        raise InvalidInput(_("检查日期不能晚于今天"), field="checked_on", rule="in_future")
    note = (note or "").strip()
    if len(note) > HazardCheck._meta.get_field("note").max_length:
        raise InvalidInput(_("检查情况过长"), field="note", rule="too_long")
    with transaction.atomic():
        check = HazardCheck.objects.create(room=room, checked_on=checked_on, note=note,
                                           inspector=actor if getattr(actor, "is_authenticated", False) else None)
        record("tenants.check.recorded", check, actor=actor, room=room.code, checked_on=checked_on,
               findings=len(findings))
        for index, spec in enumerate(findings):
            _finding(room, spec, found_on=checked_on, actor=actor, check=check, index=index)
    return check


def from_incident(incident: Incident, spec: FindingIn, *, found_on: date, actor: Any = None) -> Finding:
    return _finding(incident.room, spec, found_on=found_on, actor=actor, incident=incident)
