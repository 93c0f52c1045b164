"""A person's training record: the sessions attended and online courses completed, the hours per
year (a session whose assessment was failed earns none), and what the person's post requires."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from yizhan.training.models import Attendance, Completion, Requirement, Trainee

ZERO = Decimal("0")
TENTH = Decimal("0.1")


def _hours(value) -> Decimal:
    # Sums come back as Decimal on PostgreSQL and as whatever SQLite's float gives: one decimal always.
    return Decimal(str(value or 0)).quantize(TENTH)


def earning(attendances: QuerySet[Attendance]) -> QuerySet[Attendance]:
    return attendances.filter(attended=True).exclude(passed=False)


def hours_in(trainee: Trainee, year: int) -> Decimal:
    sessions = earning(trainee.attendances.filter(session__date__year=year)).aggregate(
        h=Sum("session__hours"))["h"] or ZERO
    online = trainee.completions.filter(completed_on__year=year).aggregate(h=Sum("hours"))["h"] or ZERO
    return _hours(sessions) + _hours(online)


def hours_per_year(trainee: Trainee) -> dict[int, Decimal]:
    years: dict[int, Decimal] = {}
    for row in earning(trainee.attendances.all()).values("session__date__year").annotate(h=Sum("session__hours")):
        years[row["session__date__year"]] = years.get(row["session__date__year"], ZERO) + _hours(row["h"])
    for row in trainee.completions.values("completed_on__year").annotate(h=Sum("hours")):
        years[row["completed_on__year"]] = years.get(row["completed_on__year"], ZERO) + _hours(row["h"])
    return {year: _hours(hours) for year, hours in sorted(years.items())}


def required_hours(trainee: Trainee) -> Decimal | None:
    """The hours a year of the requirement for the person's post at the nearest unit above them."""
    codes = [c for c in trainee.unit.path.strip("/").split("/") if c]
    rules = {r.unit.code: r.hours_per_year for r in
             Requirement.objects.filter(post=trainee.post, unit__code__in=codes).select_related("unit")}
    for code in reversed(codes):
        if code in rules:
            return rules[code]
    return None


@dataclass(frozen=True)
class Shortfall:
    trainee: Trainee
    required: Decimal
    done: Decimal

    @property
    def missing(self) -> Decimal:
        return self.required - self.done


def shortfalls(year: int, trainees: QuerySet[Trainee] | None = None) -> list[Shortfall]:
    """Active people whose post has a requirement and who are short of it in `year`."""
    trainees = (trainees if trainees is not None else Trainee.objects.all()).filter(active=True)
    posts = set(Requirement.objects.values_list("post", flat=True))
    sessions = {r["trainee"]: r["h"] for r in earning(Attendance.objects.filter(session__date__year=year))
                .values("trainee").annotate(h=Sum("session__hours"))}
    online = {r["trainee"]: r["h"] for r in Completion.objects.filter(completed_on__year=year)
              .values("trainee").annotate(h=Sum("hours"))}
    result = []
    for trainee in trainees.filter(post__in=posts).select_related("unit").order_by("unit__path", "code"):
        required = required_hours(trainee)
        done = _hours(sessions.get(trainee.pk)) + _hours(online.get(trainee.pk))
        if required is not None and done < required:
            result.append(Shortfall(trainee, required, done))
    return result


def record_of(trainee: Trainee) -> dict:
    """Everything a person's record page and the API show."""
    attendances = (trainee.attendances.select_related("session", "session__course")
                   .prefetch_related("session__topics").order_by("-session__date"))
    return {
        "trainee": trainee,
        "attendances": list(attendances),
        "completions": list(trainee.completions.select_related("course").order_by("-completed_on")),
        "years": hours_per_year(trainee),
        "required": required_hours(trainee),
    }


