"""Teacher exchange (城乡教师交流): teachers in the caller's scope, a new assignment, the balance of
staff per school before and after a date."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from yizhan.api.common import Code, Day, Limit, Offset, user
from yizhan.api.errors import ERROR_RESPONSES
from yizhan.api.scope import get_visible, unit_by_code, visible
from yizhan.exchange import assignments, balance
from yizhan.exchange.models import EXCHANGE_ROLES, Teacher
from yizhan.org.models import UnitKind
from yizhan.org.scope import units

PREFIX = "/exchange"
router = Router(tags=["exchange"])


class TeacherOut(Schema):
    code: str
    name: str
    school: str
    sex: str
    birth_year: int
    subject: str


class TeacherFilter(Schema):
    school: Code | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/teachers", response={200: list[TeacherOut], **ERROR_RESPONSES}, summary="教师")
def list_teachers(request: HttpRequest, q: Query[TeacherFilter]):
    """No ID numbers here: the exchange needs none of them."""
    qs = visible(Teacher.objects.select_related("school"), user(request))
    if q.school:
        qs = qs.filter(school__code=q.school)
    return [{"code": t.code, "name": t.name, "school": t.school.code, "sex": t.sex, "birth_year": t.birth_year,
             "subject": t.subject} for t in qs[q.offset:q.offset + q.limit]]


class AssignmentIn(Schema):
    teacher: Code
    to_school: Code
    start: Day
    end: Day


class AssignmentOut(Schema):
    id: int
    teacher: str
    from_school: str
    to_school: str
    start: date
    end: date


@router.post("/assignments", response={200: AssignmentOut, **ERROR_RESPONSES}, summary="登记交流安排")
def make_assignment(request: HttpRequest, payload: AssignmentIn):
    caller = user(request)
    teacher = get_visible(Teacher.objects.select_related("school"), caller, _("教师"), field="teacher",
                          code=payload.teacher)
    school = unit_by_code(payload.to_school, field="to_school", kind=UnitKind.SCHOOL)
    a = assignments.assign(teacher, to_school=school, start=payload.start, end=payload.end, actor=caller)
    return {"id": a.pk, "teacher": teacher.code, "from_school": a.from_school.code, "to_school": school.code,
            "start": a.start, "end": a.end}


class StaffOut(Schema):
    total: int
    sex: dict[str, int]
    age: dict[str, int]
    subject: dict[str, int]


class BalanceRow(Schema):
    school: str
    name: str
    before: StaffOut
    after: StaffOut


def _staff(s: balance.Staff) -> dict:
    return {"total": s.total, "sex": dict(s.sex), "age": dict(s.age), "subject": dict(s.subject)}


class BalanceFilter(Schema):
    date: Day
    school: Code | None = None


@router.get("/balance", response={200: list[BalanceRow], **ERROR_RESPONSES}, summary="交流前后师资结构")
def staff_balance(request: HttpRequest, q: Query[BalanceFilter]):
    """Per school: staff by sex, age band and subject the day before `date` and on `date`."""
    caller = user(request)
    schools = units(caller, EXCHANGE_ROLES).filter(kind=UnitKind.SCHOOL)
    if q.school:
        schools = schools.filter(code=q.school)
    teachers = visible(Teacher.objects.all(), caller)
    rows = balance.before_and_after(teachers, list(schools.order_by("path")), q.date)
    return [{"school": r["school"].code, "name": r["school"].name, "before": _staff(r["before"]),
             "after": _staff(r["after"])} for r in rows]
