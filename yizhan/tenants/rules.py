"""The registry's rules on dates, pure functions over intervals so that one lease, one move-in and a
file of a thousand rows are checked the same way (`yizhan.tenants.registry`).

A lease runs from `start` to `end`, both days included; two leases of a room may not share a day. A
stay (occupancy) runs from the day of moving in up to, not including, the day of moving out; a stay
still open ends with its lease. A person lives in one room at a time; a room holds at most its
`capacity` people on any day."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput

ONE_DAY = timedelta(days=1)
# An open-ended stay, for the comparisons below.
FOREVER = date.max


def check_lease_dates(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput(_("到期日期 %(end)s 早于起租日期 %(start)s") % {"end": end, "start": start},
                           field="end", rule="end_before_start")


def stay_end(moved_out: date | None, lease_last_day: date) -> date:
    """The first day a person no longer lives in the room."""
    return moved_out if moved_out is not None else lease_last_day + ONE_DAY


def leases_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    """Closed intervals [start, last day]."""
    return a[0] <= b[1] and b[0] <= a[1]


def stays_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    """Half-open intervals [moved in, first day away)."""
    return a[0] < b[1] and b[0] < a[1]


def peak(stays: Iterable[tuple[date, date]], within: tuple[date, date]) -> int:
    """The most of `stays` in the room on any one day of `within`."""
    events = []
    for s in stays:
        lo, hi = max(s[0], within[0]), min(s[1], within[1])
        if lo < hi:
            events += [(lo, 1), (hi, -1)]
    most = current = 0
    for _day, step in sorted(events, key=lambda e: (e[0], e[1])):  # leaving before arriving on the same day
        current += step
        most = max(most, current)
    return most


def check_room_free(room: str, lease: tuple[date, date], others: Iterable[tuple[str, tuple[date, date]]]) -> None:
    """`others`: (contract number, (start, last day)) of the room's other leases."""
    for contract_no, span in others:
        if leases_overlap(lease, span):
            raise InvalidInput(_("房间 %(room)s 在 %(start)s 至 %(end)s 已由合同 %(no)s 出租") % {
                "room": room, "start": span[0], "end": span[1], "no": contract_no}, field="room",
                rule="room_double_leased")


def check_one_room(name: str, stay: tuple[date, date], others: Iterable[tuple[str, tuple[date, date]]],
                   *, field: str = "id_number") -> None:
    """`others`: (room code, stay) of the person's other stays."""
    for room, span in others:
        if stays_overlap(stay, span):
            raise InvalidInput(_("%(name)s 自 %(start)s 起已住在房间 %(room)s，同一时间不能住两处") % {
                "name": name, "start": span[0], "room": room}, field=field, rule="tenant_in_two_rooms")


def check_capacity(room: str, capacity: int, stay: tuple[date, date], others: Iterable[tuple[date, date]]) -> None:
    if peak(others, stay) + 1 > capacity:
        raise InvalidInput(_("房间 %(room)s 核定居住 %(n)d 人，该期间已满") % {"room": room, "n": capacity},
                           field="room", rule="room_over_occupied")
