"""The balance of staff per school on a day: a school's own teachers less those away on an
assignment that day, plus those assigned to it; counted by age band, sex and subject — before a
date (the day before) and after it (the day itself)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.exchange.models import Assignment, Sex, Teacher

AGE_BANDS = ((0, 29, _("30岁以下")), (30, 39, _("30–39岁")), (40, 49, _("40–49岁")), (50, 200, _("50岁及以上")))


def age_band(birth_year: int, on: date) -> Any:
    age = on.year - birth_year
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


@dataclass
class Staff:
    total: int = 0
    sex: Counter = field(default_factory=Counter)
    age: Counter = field(default_factory=Counter)
    subject: Counter = field(default_factory=Counter)

    def add(self, teacher: Teacher, on: date) -> None:
        self.total += 1
        self.sex[teacher.sex] += 1
        self.age[str(age_band(teacher.birth_year, on))] += 1
        self.subject[teacher.subject] += 1


def staff_on(teachers: QuerySet[Teacher], on: date) -> dict[int, Staff]:
    """School id → its staff on `on`, for the schools of `teachers` and those they are assigned to."""
    away = {a.teacher_id: a.to_school_id for a in Assignment.objects.filter(
        teacher__in=teachers, start__lte=on, end__gte=on)}
    out: dict[int, Staff] = defaultdict(Staff)
    for teacher in teachers:
        out[away.get(teacher.pk, teacher.school_id)].add(teacher, on)
    return out


def before_and_after(teachers: QuerySet[Teacher], schools: list, on: date) -> list[dict[str, Any]]:
    """One row per school: the staff the day before `on` and on `on`."""
    before, after = staff_on(teachers, on - timedelta(days=1)), staff_on(teachers, on)
    return [{"school": school, "before": before.get(school.pk, Staff()), "after": after.get(school.pk, Staff())}
            for school in schools]


def csv_rows(rows: list[dict[str, Any]], subjects: list[str]) -> tuple[list[Any], list[list[Any]]]:
    """The report as a flat table: per school and moment, the total, sexes, age bands and subjects."""
    headers = [_("学校"), _("时点"), _("合计"), Sex.MALE.label, Sex.FEMALE.label,
               *[label for _low, _high, label in AGE_BANDS], *subjects]
    table = []
    for row in rows:
        for moment, label in (("before", _("交流前")), ("after", _("交流后"))):
            staff = row[moment]
            table.append([row["school"].name, label, staff.total, staff.sex[Sex.MALE], staff.sex[Sex.FEMALE],
                          *[staff.age[str(band)] for _low, _high, band in AGE_BANDS],
                          *[staff.subject[s] for s in subjects]])
    return headers, table
