"""The patrol roster (值班制): shifts, who patrols which area on which day, and the patrol's log
with what it found. An incident marked as a hazard in a room opens a hazard follow-up
(`yizhan.tenants.hazards`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.org.scope import covers, require_permits
from yizhan.tenants.hazards import FindingIn, from_incident
from yizhan.tenants.models import (
    MANAGERS,
    READERS,
    HazardKind,
    Incident,
    PatrolArea,
    PatrolLog,
    Room,
    RosterEntry,
    Shift,
)


@dataclass
class IncidentIn:
    kind: str
    description: str
    room: str = ""
    hazard: bool = False
    fix_days: int = 5


def assign(*, day: date, shift: Shift, area: PatrolArea, patroller: Any, actor: Any = None) -> RosterEntry:
    """Put `patroller` on `area` for `shift` on `day`; one area per person and shift."""
    require_permits(actor, area, field="area", rule="not_property_manager",
                    message=_("您不是该区域管理单位的物业管理员"))
    if shift.unit_id != area.unit_id:
        raise InvalidInput(_("班次与巡查区域不属于同一单位"), field="shift", rule="other_unit")
    if not covers(patroller, READERS, area.unit):
        raise InvalidInput(_("%(u)s 不是该单位的值班人员") % {"u": patroller.username}, field="patroller",
                           rule="not_staff")
    with transaction.atomic():
        taken = RosterEntry.objects.filter(day=day, shift=shift, patroller=patroller).select_related("area").first()
        if taken is not None:
            raise InvalidInput(_("%(u)s 当班已安排巡查 %(a)s") % {"u": patroller.username, "a": taken.area.name},
                               field="patroller", rule="patroller_busy")
        entry = RosterEntry.objects.create(day=day, shift=shift, area=area, patroller=patroller)
        record("tenants.roster.assigned", entry, actor=actor, day=day, shift=shift.code, area=area.code,
               patroller=patroller.username)
    return entry


def log_patrol(entry: RosterEntry, *, note: str = "", incidents: Sequence[IncidentIn] = (), actor: Any = None,
               at: datetime | None = None) -> PatrolLog:
    """The patrol's log of its shift, by the patroller (or a manager of the area)."""
    at = at or timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if actor is not None and (user is None or user.pk != entry.patroller_id
                              and not covers(user, MANAGERS, entry.area.unit)):
        raise NotPermitted(_("只有当班值班人或物业管理员可以记录"), field="entry", rule="not_on_duty")
    if local_date(at) < entry.day:
        raise InvalidInput(_("该班次在 %(d)s，尚未开始") % {"d": entry.day}, field="entry", rule="not_yet")
    note = (note or "").strip()
    rooms = {}
    for index, spec in enumerate(incidents):
        prefix = f"incidents.{index}."
        if spec.kind not in HazardKind.values:
            raise InvalidInput(_("类别须为 %(k)s 之一") % {"k": "、".join(HazardKind.values)}, field=prefix + "kind",
                               rule="choice")
        description = (spec.description or "").strip()
        if not description or len(description) > Incident._meta.get_field("description").max_length:
            raise InvalidInput(_("情况不能为空，且不超过 300 字"), field=prefix + "description", rule="required")
        if spec.room:
            room = Room.objects.filter(code=spec.room.strip(), building__unit__path__startswith=entry.area.unit.path
                                       ).select_related("building__unit").first()
            if room is None:
                raise InvalidInput(_("房间不存在：%(r)s") % {"r": spec.room}, field=prefix + "room", rule="unknown_room")
            rooms[index] = room
        elif spec.hazard:
            raise InvalidInput(_("安全隐患须注明房间"), field=prefix + "room", rule="required")
    with transaction.atomic():
        if PatrolLog.objects.select_for_update().filter(entry=entry).exists():
            raise IllegalTransition(_("该班次已有巡查记录"), field="entry", rule="already_logged")
        log = PatrolLog.objects.create(entry=entry, logged_at=at, note=note, logged_by=user)
        record("tenants.patrol.logged", log, actor=actor, at=at, area=entry.area.code, day=entry.day,
               incidents=len(incidents))
        for index, spec in enumerate(incidents):
            incident = Incident.objects.create(log=log, kind=spec.kind, description=spec.description.strip(),
                                               room=rooms.get(index), hazard=spec.hazard)
            if spec.hazard:
                try:
                    from_incident(incident, FindingIn(spec.kind, incident.description, spec.fix_days),
                                  found_on=entry.day, actor=actor)
                except InvalidInput as exc:
                    raise InvalidInput(exc.message, field=f"incidents.{index}.{exc.field}", rule=exc.rule) from None
    return log
