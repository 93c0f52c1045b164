"""The CDC's quality month (质量月), July–August 2010: 20 internal trainings covering 35 topics
(a session may cover several), attended by the CDC's staff, some with an assessment. The trainings
belong to the CDC's quality office (an OFFICE under the CDC of the surveillance demo, or under a CDC
of its own when that demo is absent); requirements per post give each person's hours a year."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum

from yizhan.calendar.workdays import local_tz
from yizhan.demo import fake
from yizhan.demo.places import CDC_CODE
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.training import sessions
from yizhan.training.models import Attendance, Course, Requirement, Session, Topic, Trainee
from yizhan.training.records import shortfalls

ORDER = 70
OWN_CDC = "QM-CDC"
COURSE = "QM-2010-QUALITY-MONTH"
ACTOR = "demo"
FIRST, LAST = date(2010, 7, 1), date(2010, 8, 31)
TOPICS = [
    "质量手册", "程序文件", "作业指导书", "内部审核", "管理评审", "纠正措施", "预防措施", "不符合工作控制",
    "记录控制", "档案管理", "人员培训管理", "检验方法确认", "仪器设备校准", "计量溯源", "标准物质管理",
    "测量不确定度", "能力验证", "样品管理", "实验室生物安全", "实验室废物处置", "消毒技术规范", "冷链管理",
    "疫苗储存与运输", "传染病报告管理", "突发公共卫生事件应急处置", "个人防护", "职业卫生检测", "食品卫生检验",
    "生活饮用水检验", "结核病防治规范", "艾滋病检测质量", "美沙酮维持治疗规范", "客户投诉处理", "合同评审",
    "安全用电与消防",
]
# How many topics each of the 20 sessions covers: 15 sessions with two, 5 with one — 35 in all.
PER_SESSION = [2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1, 2]
TRAINERS = ["质量负责人 陈志强", "技术负责人 李慧敏", "检验科 黄建华", "流行病学科 梁永安", "办公室 周丽"]
POSTS = [("检验技师", 14, 24), ("公共卫生医师", 16, 24), ("护士", 5, 20), ("行政人员", 5, 12)]
ACCOUNTS = [("cdc_trainer", Role.TRAINING_OFFICER, CDC_CODE, "疾控中心 培训管理员")]


def _cdc() -> OrgUnit:
    cdc = OrgUnit.objects.filter(code=CDC_CODE).first()
    if cdc is None:
        cdc = OrgUnit.objects.get_or_create(code=OWN_CDC, defaults={"name": "疾病预防控制中心",
                                                                    "kind": UnitKind.CDC})[0]
    return cdc


def office_code() -> str:
    return f"{_cdc().code}-QM"


def built() -> bool:
    return Course.objects.filter(code=COURSE).exists()


def _at(day: date) -> datetime:
    return datetime.combine(day, time(17), local_tz())


def build(progress) -> None:
    if built():
        return
    rng = random.Random(710)
    with transaction.atomic():
        cdc = _cdc()
        office = OrgUnit.objects.create(code=office_code(), name="质量管理办公室", kind=UnitKind.OFFICE, parent=cdc)
        people: list[Any] = []
        for post, count, _hours in POSTS:
            for _i in range(count):
                n = len(people) + 1
                people.append(Trainee.objects.create(
                    code=f"{cdc.code}-{n:03d}", name=fake.person_name(rng), unit=cdc, post=post,
                    phone=fake.mobile(rng) if n % 3 else ""))
        for post, _count, hours in POSTS:
            Requirement.objects.create(unit=cdc, post=post, hours_per_year=hours)
        course = Course.objects.create(code=COURSE, name="2010年质量月内部培训", unit=office)
        days = [d for d in (FIRST + timedelta(days=k) for k in range((LAST - FIRST).days + 1)) if d.weekday() < 5]
        topics = iter(TOPICS)
        for i, covered in enumerate(PER_SESSION):
            day = days[i * len(days) // len(PER_SESSION)]
            names = [next(topics) for _k in range(covered)]
            session = sessions.hold_session(
                course=course, day=day, title="、".join(names), trainer=TRAINERS[i % len(TRAINERS)],
                hours="2" if covered == 2 else "1.5", topics=names, location="中心三楼会议室", at=_at(day),
                actor_label=ACTOR)
            assessed = i % 4 == 3
            for person in people:
                if rng.random() < 0.7:
                    score = rng.randint(55, 98) if assessed else None
                    sessions.record_attendance(session, person, score=score, at=_at(day), actor_label=ACTOR)
    progress(f"质量月培训：{len(PER_SESSION)} 场，{len(TOPICS)} 个专题，{len(people)} 名职工。")


def report(write) -> None:
    course = Course.objects.filter(code=COURSE).first()
    if course is None:
        return
    held = Session.objects.filter(course=course, date__range=(FIRST, LAST))
    topics = Topic.objects.filter(sessions__in=held).distinct().count()
    lines = Attendance.objects.filter(session__in=held, attended=True)
    people = lines.values("trainee").distinct().count()
    assessed = lines.filter(passed__isnull=False)
    passed = assessed.filter(passed=True).count()
    hours = lines.exclude(passed=False).aggregate(h=Sum("session__hours"))["h"] or 0
    per_session = held.annotate(n=Count("attendances")).order_by("date")
    write(f"疾控中心质量月（{FIRST:%Y年%m月}–{LAST:%m月}）：内部培训 {held.count()} 场，涵盖专题 {topics} 个；")
    write(f"  出勤 {lines.count()} 人次（{people} 人），每场 {min(s.n for s in per_session)}–"
          f"{max(s.n for s in per_session)} 人；考核 {assessed.count()} 人次，合格 {passed}；计入学时 {hours}。")
    write(f"  {FIRST.year} 年学时未达岗位要求：{len(shortfalls(FIRST.year, Trainee.objects.filter(unit=course.unit.parent)))} 人"
          f"（要求：{'，'.join(f'{r.post} {r.hours_per_year}' for r in Requirement.objects.filter(unit=course.unit.parent))}）。")
