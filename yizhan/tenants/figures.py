"""The registry's figures over the rooms a person may see: rooms and occupancy, tenants by home
province, overdue registrations and commitments, open hazards. The demo's report and the screens
read the same numbers."""

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from yizhan.calendar.workdays import local_date
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.org.scope import restrict
from yizhan.tenants.models import Occupancy, Room, RoomKind, Tenant
from yizhan.tenants.obligations import COMMITMENT, HAZARD, REGISTRATION
from yizhan.tenants.provinces import province_name
from yizhan.tenants.registry import current_stays


def scoped(qs, user: Any):
    """`qs` in `user`'s scope; None means the system (the demo's report)."""
    return qs if user is None else restrict(qs, user)


def figures(user: Any = None, *, day: date | None = None) -> dict[str, Any]:
    now = timezone.now()
    day = day or local_date(now)
    rooms = scoped(Room.objects.all(), user)
    stays = scoped(Occupancy.objects.filter(current_stays(day)), user)
    by_kind = dict(rooms.values_list("kind").annotate(n=Count("id")).order_by())
    occupied = rooms.filter(occupancies__in=stays).distinct()
    occupied_kind = dict(occupied.values_list("kind").annotate(n=Count("id", distinct=True)).order_by())
    people = stays.values("tenant").distinct().count()
    provinces = (scoped(Tenant.objects.filter(occupancies__in=stays), user).values("province")
                 .annotate(n=Count("id", distinct=True)).order_by("-n", "province"))
    units = rooms.values_list("building__unit", flat=True).distinct()
    items = scoped(FollowUp.objects.filter(unit__in=units), user)
    overdue = Q(state=FollowUpState.OPEN, timer__deadline__lt=now)
    counts = items.aggregate(
        registrations_open=Count("id", filter=Q(kind=REGISTRATION, state=FollowUpState.OPEN)),
        registrations_overdue=Count("id", filter=Q(kind=REGISTRATION) & overdue),
        commitments_overdue=Count("id", filter=Q(kind=COMMITMENT) & overdue),
        hazards_open=Count("id", filter=Q(kind=HAZARD, state__in=(FollowUpState.OPEN, FollowUpState.DONE))),
        hazards_overdue=Count("id", filter=Q(kind=HAZARD) & overdue),
    )
    total = sum(by_kind.values())
    occupied_total = sum(occupied_kind.values())
    return {
        "day": day,
        "rooms": total,
        "flats": by_kind.get(RoomKind.FLAT, 0),
        "shops": by_kind.get(RoomKind.SHOP, 0),
        "occupied": occupied_total,
        "occupied_flats": occupied_kind.get(RoomKind.FLAT, 0),
        "occupied_shops": occupied_kind.get(RoomKind.SHOP, 0),
        "occupancy": round(occupied_total / total, 4) if total else None,
        "tenants": people,
        "by_province": [{"code": p["province"], "name": province_name(p["province"]), "tenants": p["n"]}
                        for p in provinces],
        **counts,
    }
