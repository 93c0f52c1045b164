"""Training records (培训记录): sessions and their attendance, a person's record with hours per year,
and the people short of their post's hours."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import Code, Day, Id, Limit, Offset, Text, max_length_of, user
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.api.scope import get_visible, visible
from yizhan.calendar.workdays import local_date
from yizhan.org.scope import CHANGE, restrict
from yizhan.training import records, sessions
from yizhan.training.models import Course, Session, Topic, Trainee

PREFIX = "/training"
router = Router(tags=["training"])
Year = Annotated[int, Field(ge=2000, le=2099)]
Hours = Annotated[Decimal, Field(ge=Decimal("0.5"), le=sessions.MAX_HOURS, decimal_places=1)]
Score = Annotated[Decimal, Field(ge=0, le=100, decimal_places=1)]


class SessionOut(Schema):
    id: int
    course: str
    date: date
    title: str
    trainer: str
    hours: Decimal
    topics: list[str]
    attended: int


def session_out(s: Session) -> dict:
    return {"id": s.pk, "course": s.course.code, "date": s.date, "title": s.title, "trainer": s.trainer,
            "hours": s.hours, "topics": [t.name for t in s.topics.all()],
            "attended": s.attendances.filter(attended=True).count()}


class SessionFilter(Schema):
    course: Code | None = None
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None
    limit: Limit = 100
    offset: Offset = 0


@router.get("/sessions", response={200: list[SessionOut], **ERROR_RESPONSES}, summary="培训场次")
def list_sessions(request: HttpRequest, q: Query[SessionFilter]):
    qs = visible(Session.objects.select_related("course").prefetch_related("topics"), user(request))
    if q.course:
        qs = qs.filter(course__code=q.course)
    if q.from_:
        qs = qs.filter(date__gte=q.from_)
    if q.to:
        qs = qs.filter(date__lte=q.to)
    return [session_out(s) for s in qs[q.offset:q.offset + q.limit]]


class SessionIn(Schema):
    course: Code
    date: Day
    title: Annotated[Text, max_length_of(Session, "title")]
    trainer: Annotated[Text, max_length_of(Session, "trainer")]
    hours: Hours
    topics: list[Annotated[Text, max_length_of(Topic, "name")]] = Field(default_factory=list, max_length=50)
    location: Annotated[Text, max_length_of(Session, "location")] = ""


@router.post("/sessions", response={201: SessionOut, **ERROR_RESPONSES}, summary="登记培训场次")
def hold_session(request: HttpRequest, payload: SessionIn):
    course = restrict(Course.objects.select_related("unit"), user(request), CHANGE).filter(code=payload.course).first()
    if course is None:
        raise ApiError(422, _("课程 %(c)s 不存在或不归您管理") % {"c": payload.course}, field="course",
                       rule="unknown_course")
    session = sessions.hold_session(course=course, day=payload.date, title=payload.title, trainer=payload.trainer,
                                    hours=payload.hours, topics=payload.topics, location=payload.location,
                                    actor=user(request))
    return 201, session_out(session)


class AttendanceIn(Schema):
    trainee: Code
    attended: bool = True
    score: Score | None = None
    passed: bool | None = None


class AttendanceOut(Schema):
    session: int
    trainee: str
    attended: bool
    score: Decimal | None
    passed: bool | None


@router.post("/sessions/{session_id}/attendance", response={200: AttendanceOut, **ERROR_RESPONSES},
             summary="登记出勤与考核")
def record_attendance(request: HttpRequest, session_id: Id, payload: AttendanceIn):
    session = get_visible(Session.objects.select_related("course", "course__unit"), user(request), _("培训场次"),
                          field="session_id", pk=session_id)
    trainee = visible(Trainee.objects.all(), user(request)).filter(code=payload.trainee).first()
    if trainee is None:
        raise ApiError(422, _("没有编号为 %(c)s 的人员") % {"c": payload.trainee}, field="trainee",
                       rule="unknown_trainee")
    line = sessions.record_attendance(session, trainee, attended=payload.attended, score=payload.score,
                                      passed=payload.passed, actor=user(request))
    return {"session": session.pk, "trainee": trainee.code, "attended": line.attended, "score": line.score,
            "passed": line.passed}


class TrainingYearOut(Schema):
    year: int
    hours: Decimal


class RecordLine(Schema):
    date: date
    kind: str
    title: str
    hours: Decimal
    score: Decimal | None
    passed: bool | None


class RecordOut(Schema):
    code: str
    name: str
    unit: str
    post: str
    required_hours: Decimal | None
    years: list[TrainingYearOut]
    lines: list[RecordLine]


def record_out(trainee: Trainee) -> dict:
    data = records.record_of(trainee)
    lines = [{"date": a.session.date, "kind": "session", "title": a.session.title,
              "hours": a.session.hours if a.attended and a.passed is not False else Decimal("0"),
              "score": a.score, "passed": a.passed} for a in data["attendances"]]
    lines += [{"date": c.completed_on, "kind": "online", "title": c.course.name, "hours": c.hours, "score": c.score,
               "passed": None} for c in data["completions"]]
    return {"code": trainee.code, "name": trainee.name, "unit": trainee.unit.code, "post": trainee.post,
            "required_hours": data["required"], "years": [{"year": y, "hours": h} for y, h in data["years"].items()],
            "lines": sorted(lines, key=lambda line: line["date"], reverse=True)}


@router.get("/people/{code}", response={200: RecordOut, **ERROR_RESPONSES}, summary="个人培训档案")
def get_record(request: HttpRequest, code: Code):
    trainee = get_visible(Trainee.objects.select_related("unit"), user(request), _("人员"), field="code", code=code)
    return record_out(trainee)


class ShortfallOut(Schema):
    code: str
    name: str
    unit: str
    post: str
    required: Decimal
    done: Decimal


class ShortfallFilter(Schema):
    year: Year | None = None


@router.get("/shortfalls", response={200: list[ShortfallOut], **ERROR_RESPONSES}, summary="学时不足人员")
def list_shortfalls(request: HttpRequest, q: Query[ShortfallFilter]):
    year = q.year or local_date(timezone.now()).year
    return [{"code": s.trainee.code, "name": s.trainee.name, "unit": s.trainee.unit.code, "post": s.trainee.post,
             "required": s.required, "done": s.done}
            for s in records.shortfalls(year, visible(Trainee.objects.all(), user(request)))]


