"""When visits are due: the date of a festival in a year, its visiting season, and the reminder N days
before it listing the families of a unit not yet visited this season.

A festival's season is the `season_days` before it (the festival day included): a visit in that window
counts for the festival. The reminder goes out on `festival date − remind_days` (or on the first run
after it, within the season), once per festival, year and unit (FestivalReminder's unique key and
the notification key), through the one sender of yizhan.jobs.notify."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.errors import InvalidInput
from yizhan.jobs import notify
from yizhan.org.models import OrgUnit, Role, StaffRole
from yizhan.visits.models import Family, Festival, FestivalReminder, Visit


def festival_on(festival: Festival, year: int) -> date:
    """The festival's date in `year`; a lunar festival with no row for the year is a clear error."""
    if festival.month is not None and festival.day is not None:
        try:
            return date(year, festival.month, festival.day)
        except ValueError:
            raise InvalidInput(_("节日 %(f)s 的日期无效") % {"f": festival.name}, field="festival",
                               rule="bad_fixed_date") from None
    row = festival.dates.filter(year=year).first()
    if row is None:
        raise InvalidInput(_("节日日期表中没有 %(f)s %(y)d 年的日期，请在管理后台“节日日期”中补充") % {
            "f": festival.name, "y": year}, field="festival", rule="festival_date_missing")
    return row.date


@dataclass(frozen=True)
class Occurrence:
    festival: Festival
    on: date

    @property
    def season_start(self) -> date:
        return self.on - timedelta(days=self.festival.season_days - 1)

    @property
    def remind_on(self) -> date:
        return self.on - timedelta(days=self.festival.remind_days)


def occurrence_for(festival: Festival, day: date) -> Occurrence | None:
    """The festival's occurrence whose season contains `day`, if any (this year's or next year's,
    since a Spring Festival's season may begin in December)."""
    for year in (day.year, day.year + 1):
        try:
            occ = Occurrence(festival, festival_on(festival, year))
        except InvalidInput:
            continue
        if occ.season_start <= day <= occ.on:
            return occ
    return None


def upcoming(day: date) -> list[Occurrence]:
    """The active festivals whose season contains `day`, soonest first."""
    found = [occ for f in Festival.objects.filter(active=True) if (occ := occurrence_for(f, day))]
    return sorted(found, key=lambda o: o.on)


def not_visited(families: QuerySet[Family], occ: Occurrence, *, until: date | None = None) -> QuerySet[Family]:
    """Families in `families`, still on the register, with no visit in the occurrence's season (up to `until`)."""
    visited = Visit.objects.filter(visited_on__gte=occ.season_start, visited_on__lte=until or occ.on)
    return families.filter(active=True).exclude(pk__in=visited.values("family_id"))


def _officers(unit: OrgUnit) -> list[Any]:
    """The welfare officers over `unit` (at it or above it) who have a mail address."""
    ancestors = [p for p in unit.path.split("/") if p]
    rows = StaffRole.objects.filter(role=Role.WELFARE_OFFICER, unit__code__in=ancestors).select_related("user")
    return sorted({r.user for r in rows if r.user.email and r.user.is_active}, key=lambda u: u.pk)


def _body(occ: Occurrence, unit: OrgUnit, families: list[Family]) -> str:
    lines = [_("%(unit)s：%(f)s（%(d)s）前尚有 %(n)d 户困难家庭未走访：") % {
        "unit": unit.name, "f": occ.festival.name, "d": occ.on.isoformat(), "n": len(families)}]
    lines += [f"{f.household_no} {f.head_name}（{f.employee_name}）{f.get_reason_display()}" for f in families]
    return "\n".join(lines)


def send_reminders(day: date) -> list[FestivalReminder]:
    """Send each due reminder of `day`: for every festival whose reminder day has come (and whose
    festival has not passed) and every unit with families on the register, once. Idempotent: a
    second run, or two at once, sends nothing more."""
    sent = []
    for occ in upcoming(day):
        if day < occ.remind_on:
            continue
        unit_ids = Family.objects.filter(active=True).values_list("unit_id", flat=True).distinct()
        for unit in OrgUnit.objects.filter(pk__in=set(unit_ids)).order_by("code"):
            families = list(not_visited(Family.objects.filter(unit=unit), occ, until=day))
            reminder = _remind(occ, unit, families, day)
            if reminder is not None:
                sent.append(reminder)
    return sent


def _remind(occ: Occurrence, unit: OrgUnit, families: list[Family], day: date) -> FestivalReminder | None:
    if FestivalReminder.objects.filter(festival=occ.festival, year=occ.on.year, unit=unit).exists():
        return None
    officers = _officers(unit)
    subject = _("节前走访提醒：%(f)s") % {"f": occ.festival.name}
    body = _body(occ, unit, families)
    try:
        with transaction.atomic():
            reminder = FestivalReminder.objects.create(
                festival=occ.festival, year=occ.on.year, unit=unit, sent_on=day, festival_on=occ.on,
                families=len(families), recipients=len(officers))
            record("visits.reminder.sent", reminder, actor_label="visits.remind",
                   festival=occ.festival.code, year=occ.on.year, unit=unit.code, families=len(families))
            # In the reminder's transaction: a failed send leaves no reminder, and the retry sends again.
            for officer in officers:
                notify.send(f"visits.remind:{occ.festival.code}:{occ.on.year}:{unit.code}:{officer.pk}", "mail",
                            officer.email, body, subject)
    except IntegrityError:
        return None  # another run sent this one
    return reminder
