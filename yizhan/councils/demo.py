"""The Jinshan company's proposal councils (议事会): a council in each party branch, a meeting every
quarter of 2009 with its members' proposals, decided — the adopted ones followed up on the clock,
most done on time, some late — and each quarter published."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from yizhan.councils import figures, meetings, proposals
from yizhan.councils.models import Council, Member, Outcome, Proposal
from yizhan.demo import fake
from yizhan.followups import service as followups
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

ORDER = 120
TZ = ZoneInfo("Asia/Shanghai")
# The same codes as the company's other demo systems: whichever builds first makes the units.
COMPANY = ("JSPC", "上海金山石油化工建筑有限公司")
BRANCHES = (("JSPC-B1", "第一党支部（安装分公司）"), ("JSPC-B2", "第二党支部（土建分公司）"),
            ("JSPC-B3", "第三党支部（机关）"))
ACCOUNTS = [("jspc_council", Role.COUNCIL_SECRETARY, COMPANY[0], "金山石化建筑 议事会秘书")]
TOPICS = ("职工食堂增加夜班供餐", "施工现场增设休息棚", "更新安全帽与工作服", "开设农民工夜校", "宿舍区加装热水器",
          "班车线路延伸至石化新村", "完善高温作业补贴", "建立师徒结对制度", "设立党员先锋岗", "整治生活区环境卫生",
          "增加职工体检项目", "公开工程款结算进度", "设立困难职工帮扶台账", "规范外包队伍管理", "开展技能比武",
          "改进考勤办法", "建设职工书屋", "加强现场用电检查", "设立合理化建议箱", "推广节能施工工艺")
REASONS = ("本年度预算已安排，暂不重复立项", "不符合公司现行管理规定", "条件尚不具备，列入明年计划")


def _moment(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _unit(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    return OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "parent": parent})[0]


def build(progress) -> None:
    if Council.objects.filter(unit__code=BRANCHES[0][0]).exists():
        return
    rng = random.Random(2009)
    company = _unit(*COMPANY, UnitKind.COMPANY, None)
    users = get_user_model()
    for b, (code, name) in enumerate(BRANCHES, start=1):
        branch = _unit(code, name, UnitKind.OFFICE, company)
        council = Council.objects.create(unit=branch, name=f"{name.split('（')[0]}议事会")
        owner, _new = users.objects.get_or_create(username=f"jspc_b{b}_owner",
                                                  defaults={"first_name": f"{name.split('（')[0]}支部书记"})
        owner.set_unusable_password()
        owner.save()
        StaffRole.objects.get_or_create(user=owner, role=Role.FOLLOW_UP_OWNER, unit=branch)
        names: list[str] = []
        while len(names) < 9:
            candidate = fake.person_name(rng)
            if candidate not in names:
                names.append(candidate)
        members = [Member.objects.create(council=council, name=n) for n in names]
        for quarter in (1, 2, 3, 4):
            held = date(2009, quarter * 3 - 1, 10 + b)
            while held.weekday() >= 5:
                held += timedelta(days=1)
            meeting = meetings.hold_meeting(
                council, year=2009, quarter=quarter, held_on=held, agenda="一、通报上季度提案办理情况；二、审议本季度提案",
                attendees=rng.sample(members, 7), at=_moment(held, 9))
            for topic in rng.sample(TOPICS, rng.randint(3, 5)):
                p = proposals.submit(meeting, proposer=rng.choice(members), title=topic, submitted_on=held - timedelta(7),
                                     at=_moment(held - timedelta(7), 10))
                roll = rng.random()
                if roll < 0.55:
                    p = proposals.decide(p, outcome=Outcome.ADOPTED, owner=owner, days=20, at=_moment(held))
                    # Most are done within the 20 working days; about one in five late.
                    done = held + timedelta(days=rng.randint(10, 25) if rng.random() < 0.8 else rng.randint(35, 50))
                    followups.complete(p.follow_up, note="已落实", at=_moment(done, 11))
                elif roll < 0.75:
                    proposals.decide(p, outcome=Outcome.REFERRED, referred_to=company, at=_moment(held))
                else:
                    proposals.decide(p, outcome=Outcome.REJECTED, reason=rng.choice(REASONS), at=_moment(held))
            meetings.record_minutes(meeting, minutes="会议审议了本季度提案，逐项作出决定。", at=_moment(held, 17))
            meetings.publish(meeting, at=_moment(held + timedelta(days=3), 9))
    progress(f"议事会：{Proposal.objects.filter(meeting__council__unit__path__startswith=company.path).count()} 件提案")


def report(write) -> None:
    qs = Proposal.objects.filter(meeting__council__unit__code__in=[c for c, _n in BRANCHES])
    now = _moment(date(2010, 3, 1))
    write("议事会（金山石化建筑，2009 年）：")
    for row in figures.per_quarter(qs, now=now):
        share = row["follow_ups"]["on_time_share"]
        on_time = f"{share:.0%}" if share is not None else "—"
        write(f"  {row['year']} 年第 {row['quarter']} 季度：提案 {row['total']} 件，采纳 {row['adopted']} 件"
              f"（{row['adopted_share']:.0%}），督办按时办结率 {on_time}")
    total = figures.totals(qs, now=now)
    if total["total"]:
        write(f"  全年：提案 {total['total']} 件，采纳率 {total['adopted_share']:.0%}，"
              f"督办事项 {total['follow_ups']['total']} 项，按时办结 {total['follow_ups']['done_on_time']} 项")


def build_present(now: datetime, progress=lambda _line: None) -> None:
    """This quarter's council in each branch (the last quarter's while this one is under six weeks
    old): proposals decided, the adopted ones followed up on the clock — the earlier ones done, the
    latest still open (some past their 20 working days) — and the quarter published."""
    today = now.astimezone(TZ).date()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    if (today - date(year, quarter * 3 - 2, 1)).days < 42:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    councils = list(Council.objects.filter(unit__code__in=[c for c, _n in BRANCHES]).order_by("unit__code"))
    if not councils or any(c.meetings.filter(year=year, quarter=quarter).exists() for c in councils):
        return
    rng = random.Random(year * 10 + quarter)
    owners = {u.username: u for u in get_user_model().objects.filter(username__startswith="jspc_b")}
    company = OrgUnit.objects.get(code=COMPANY[0])
    made = 0
    for b, council in enumerate(councils, start=1):
        held = date(year, quarter * 3 - 2, 1) + timedelta(days=30 + b)
        while held.weekday() >= 5:
            held += timedelta(days=1)
        members = list(council.members.all())
        meeting = meetings.hold_meeting(council, year=year, quarter=quarter, held_on=held,
                                        agenda="一、通报上季度提案办理情况；二、审议本季度提案",
                                        attendees=rng.sample(members, min(7, len(members))), at=_moment(held, 9))
        for k, topic in enumerate(rng.sample(TOPICS, 4)):
            p = proposals.submit(meeting, proposer=rng.choice(members), title=topic, submitted_on=held - timedelta(7),
                                 at=_moment(held - timedelta(7), 10))
            if k < 3:
                p = proposals.decide(p, outcome=Outcome.ADOPTED, owner=owners[f"jspc_b{b}_owner"], days=20,
                                     at=_moment(held))
                done = held + timedelta(days=12 + 5 * k)
                if k == 0 and _moment(done, 11) < now:
                    followups.complete(p.follow_up, note="已落实", at=_moment(done, 11))
            else:
                proposals.decide(p, outcome=Outcome.REFERRED, referred_to=company, at=_moment(held))
            made += 1
        meetings.record_minutes(meeting, minutes="会议审议了本季度提案，逐项作出决定。", at=_moment(held, 17))
        meetings.publish(meeting, at=min(now, _moment(held + timedelta(days=3), 9)))
    progress(f"议事会：{year} 年第 {quarter} 季度提案 {made} 件")
