"""The CDC's 2010 basic public-health service assessment (基本公共卫生服务 考核验收), built through the
assessment services over the surveillance demo's network (the CDC, 14 township health centers,
three village clinics each): the shipped catalogue (nine programmes, six the CDC manages), one round
in November 2010 scored by the CDC's assessment team with evidence, a few units below the pass mark,
and their rectification items — most done and verified by a second person, some late, some open."""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from yizhan.assessment import scoring
from yizhan.assessment.catalogue import load_programmes
from yizhan.assessment.models import Programme, Round
from yizhan.calendar.workdays import local_tz
from yizhan.demo.places import CDC_CODE, TOWNSHIPS, township_code
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUp
from yizhan.org.models import OrgUnit, Role, StaffRole

ORDER = 110  # after the surveillance network (built before every system) and before quality
ROUND_CODE = "KP-JBGW-2010"
ACTOR = "demo"
ACCOUNTS = [
    ("assessor", Role.ASSESSOR, CDC_CODE, "疾控中心考核人员"),
    ("sanbu", Role.FOLLOW_UP_OWNER, township_code(0), "三埠镇卫生院 整改负责人"),
]
# Township health centers (by index in TOWNSHIPS) and village clinics (township, village) below the mark.
WEAK_TOWNSHIPS = (0, 9, 12)  # 三埠, 塘口, 蚬冈
WEAK_VILLAGES = ((0, 2), (4, 1), (9, 3), (13, 2))
NOTES = {
    "P01": "抽查档案有缺项、信息不全", "P02": "宣传栏未按期更换，讲座记录不全", "P03": "冰箱温度记录有中断，个别儿童漏种",
    "P04": "门诊日志与网报核对有迟报", "P08": "随访记录不规范，部分患者失访", "P09": "随访次数不足",
}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), local_tz())


def _people(cdc: OrgUnit) -> dict[str, Any]:
    """The assessment team and the township directors who carry out rectification (no login)."""
    users = get_user_model().objects
    team, _c = users.get_or_create(username="cdc-assess-li", defaults={"first_name": "考核组 李医生"})
    StaffRole.objects.get_or_create(user=team, role=Role.ASSESSOR, unit=cdc)
    people = {"team": team}
    for i in WEAK_TOWNSHIPS + tuple(t for t, _v in WEAK_VILLAGES):
        unit = OrgUnit.objects.get(code=township_code(i))
        director, _c = users.get_or_create(username=f"director-t{i + 1:02d}",
                                           defaults={"first_name": f"{TOWNSHIPS[i]}镇卫生院院长"})
        StaffRole.objects.get_or_create(user=director, role=Role.FOLLOW_UP_OWNER, unit=unit)
        people[unit.code] = director
    return people


def _entries(sheet_codes: list, weak: bool, rng: random.Random) -> list[scoring.Entry]:
    entries = []
    for indicator in sheet_codes:
        lo, hi = (0.3, 0.7) if weak and rng.random() < 0.4 else (0.85, 1.0)
        steps = int(float(indicator.max_score) * 2)  # half points
        score = min(steps, max(0, round(steps * rng.uniform(lo, hi)))) / 2
        deducted = score < float(indicator.max_score)
        entries.append(scoring.Entry(indicator.code, f"{score:.1f}", NOTES[indicator.programme.code] if deducted else "",
                                     f"档案盒 {rng.randint(1, 12)} 号"))
    return entries


def build(progress: Callable[[str], None] = lambda _line: None, seed: int = 2010) -> None:
    if Round.objects.filter(code=ROUND_CODE).exists() or not OrgUnit.objects.filter(code=CDC_CODE).exists():
        return
    rng = random.Random(seed)
    with transaction.atomic():
        cdc = OrgUnit.objects.get(code=CDC_CODE)
        load_programmes(cdc, actor_label=ACTOR)
        people = _people(cdc)
        round_ = scoring.open_round(cdc, code=ROUND_CODE, name="2010 年度基本公共卫生服务项目考核验收", year=2010,
                                    programmes=Programme.objects.filter(cdc=cdc, managed_by_cdc=True), pass_mark=80,
                                    rectification_days=20, at=_at(date(2010, 11, 1), 9), actor=people["team"])
        indicators = scoring.sheet(round_)
        by_code = {i.code: i for i in indicators}
        weak = {township_code(i) for i in WEAK_TOWNSHIPS} | {f"{township_code(t)}-V{v}" for t, v in WEAK_VILLAGES}
        day = date(2010, 11, 2)
        for n, sheet in enumerate(round_.assessments.select_related("unit", "round").order_by("unit__code")):
            entries = _entries(indicators, sheet.unit.code in weak, rng)
            # A weak unit is below the mark whatever the draw: its worst indicators are cut further.
            scoring.enter_scores(sheet, entries, at=_at(day + timedelta(days=n // 8), 15), actor=people["team"])
            sheet.refresh_from_db()
            if sheet.unit.code in weak and sheet.passed:
                heaviest = {i.code for i in sorted(indicators, key=lambda i: (-i.weight, i.code))[:3]}
                lowered = [scoring.Entry(e.indicator, f"{float(by_code[e.indicator].max_score) * 0.4:.1f}",
                                         NOTES[e.indicator[:3]], e.evidence_ref)
                           for e in entries if e.indicator in heaviest]
                scoring.enter_scores(sheet, lowered, at=_at(day + timedelta(days=n // 8), 16), actor=people["team"])
        scoring.close_round(round_, at=_at(date(2010, 11, 15), 10), actor=people["team"])
        _rectify(round_, people, rng)
    f = scoring.figures(round_)
    progress(f"  公卫考核：{f['units']} 个单位评分，不合格 {f['failed']} 个，整改事项 {f['rectifications']['total']} 项")


def _rectify(round_: Round, people: dict, rng: random.Random) -> None:
    """Most items done within the 20 working days and verified; a few late; the last ones still open."""
    items = list(FollowUp.objects.filter(kind=scoring.RECTIFICATION).select_related("unit", "timer").order_by("id"))
    for n, item in enumerate(items):
        if n % 5 == 4:
            continue  # still open
        township = item.unit if item.unit.kind == "township" else item.unit.parent
        owner = people.get(township.code)
        late = n % 7 == 3
        done_on = date(2010, 12, 20) if late else date(2010, 11, 22) + timedelta(days=rng.randint(0, 14))
        item = followups.complete(item, note="已按要求整改，补齐记录", at=_at(done_on, 11), actor=owner, actor_label=ACTOR)
        if n % 5 != 3:
            followups.verify(item, effective=True, note="复查合格", at=_at(done_on + timedelta(days=3), 10),
                             actor=people["team"], actor_label=ACTOR)


def report(write: Callable[[str], None]) -> None:
    round_ = Round.objects.filter(code=ROUND_CODE).first()
    if round_ is None:
        return
    f = scoring.figures(round_)
    r = f["rectifications"]
    write(f"{round_.name}：考核 {f['units']} 个单位（卫生院与卫生站），合格 {f['passed']}，不合格 {f['failed']}，"
          f"平均 {f['mean_total']} 分（合格分 {round_.pass_mark}）")
    write(f"  整改事项 {r['total']} 项：办理中 {r['open']}，已办结 {r['done']}（按时 {r['done_on_time']}），"
          f"效果已验证 {r['verified']}")
    top = [p for p in scoring.ranking(round_, kind="township")][:3]
    write("  卫生院前三名：" + "，".join(f"{p.rank}. {p.assessment.unit.name} {p.assessment.total}" for p in top))
    failed = round_.assessments.filter(passed=False).select_related("unit").order_by("total")
    write("  不合格：" + "，".join(f"{a.unit.name} {a.total}" for a in failed))
