"""The CDC's 2010 quality management, built through the quality services: five offices (科室) under
the demo CDC, the 2010 internal audit plan with an audit of each office in the June quality month
(the lead auditor always from another office), findings against GB/T 27025-2008, a corrective action
for each nonconformity — most closed on time and verified, one late, one sent back as not effective
and closed again, one still open — and the December management review with its decisions."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_tz
from yizhan.clock.limits import Limit
from yizhan.demo.places import CDC_CODE
from yizhan.followups import service as followups
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind
from yizhan.quality import audits, reviews
from yizhan.quality.figures import plan_figures
from yizhan.quality.models import AuditPlan, FindingKind, ManagementReview, ReviewTopic

ORDER = 120  # after the surveillance network and the assessment
PLAN_CODE = "KP-CDC-IA-2010"
ACTOR = "demo"
ACCOUNTS = [("quality", Role.QUALITY_MANAGER, CDC_CODE, "疾控中心质量负责人")]
# code suffix, name, head's user name, head's name
OFFICES = (
    ("LAB", "检验科", "lab-head", "检验科 陈科长"),
    ("EPI", "传染病防制科", "epi-head", "传防科 黄科长"),
    ("EPI2", "免疫规划科", "imm-head", "免疫规划科 梁科长"),
    ("NCD", "慢性病防制科", "ncd-head", "慢病科 吴科长"),
    ("ENV", "卫生监测科", "env-head", "卫生监测科 关科长"),
)
NC, OBS = FindingKind.NONCONFORMITY, FindingKind.OBSERVATION
# office, kind, clause, description
FINDINGS = (
    ("LAB", NC, "5.5.2", "生化分析仪期间核查记录缺 3 月、4 月两次"),
    ("LAB", NC, "4.13.2", "原始记录更改未签名，无法追溯更改人"),
    ("LAB", NC, "5.9.1", "未参加 2010 年上半年省级能力验证（水中铅）"),
    ("LAB", OBS, "5.3.2", "微生物室温湿度记录偶有漏记"),
    ("EPI", NC, "4.3.2", "现行流调技术方案为 2007 年版，未受控更新"),
    ("EPI", OBS, "5.2.5", "新进人员上岗授权记录不全"),
    ("EPI2", NC, "5.8.4", "疫苗冷库温度超限报警后无处理记录"),
    ("EPI2", NC, "4.13.1", "疫苗出入库登记与系统数量不一致"),
    ("NCD", OBS, "4.7.2", "未开展服务对象满意度调查"),
    ("NCD", NC, "5.2.2", "年度培训计划未覆盖慢病监测新规范"),
    ("ENV", NC, "5.7.1", "水样采样记录缺采样点经纬度"),
    ("ENV", OBS, "5.10.2", "检测报告模板未标注判定依据版本"),
)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), local_tz())


def office_code(suffix: str) -> str:
    return f"{CDC_CODE}-{suffix}"


def _offices(cdc: OrgUnit) -> dict[str, tuple[OrgUnit, Any]]:
    # Made here rather than by import_units, whose depth table does not know offices yet.
    for suffix, name, *_rest in OFFICES:
        unit, created = OrgUnit.objects.get_or_create(code=office_code(suffix), defaults={
            "name": name, "kind": UnitKind.OFFICE, "parent": cdc})
        if created:
            record("org.unit.created", unit, actor_label=ACTOR, at=_at(date(2010, 1, 4), 9), name=name,
                   kind=UnitKind.OFFICE, parent=cdc.code)
    users = get_user_model().objects
    made = {}
    for suffix, _name, username, label in OFFICES:
        unit = OrgUnit.objects.get(code=office_code(suffix))
        head, _c = users.get_or_create(username=username, defaults={"first_name": label})
        StaffRole.objects.get_or_create(user=head, role=Role.FOLLOW_UP_OWNER, unit=unit)
        made[suffix] = (unit, head)
    return made


def build(progress: Callable[[str], None] = lambda _line: None) -> None:
    cdc = OrgUnit.objects.filter(code=CDC_CODE).first()
    if cdc is None or AuditPlan.objects.filter(code=PLAN_CODE).exists():
        return
    with transaction.atomic():
        offices = _offices(cdc)
        users = get_user_model().objects
        manager, _c = users.get_or_create(username="cdc-quality-he", defaults={"first_name": "质量管理办 何主任"})
        StaffRole.objects.get_or_create(user=manager, role=Role.QUALITY_MANAGER, unit=cdc)
        plan = audits.create_plan(cdc, code=PLAN_CODE, title="2010 年度内部审核计划", year=2010,
                                  at=_at(date(2010, 3, 1), 9), actor=manager)
        suffixes = [s for s, *_r in OFFICES]
        found: dict[str, list] = {}
        for n, suffix in enumerate(suffixes):
            unit, _head = offices[suffix]
            auditor = offices[suffixes[(n + 1) % len(suffixes)]][1]  # from the next office: independent
            day = date(2010, 6, 7) + timedelta(days=n)
            audit = audits.schedule_audit(plan, unit, planned_on=day, lead_auditor=auditor, actor=manager,
                                          at=_at(date(2010, 3, 1), 10))
            audit = audits.conduct(audit, conducted_on=day, summary="质量体系运行基本有效，发现问题见审核发现",
                                   at=_at(day, 16), actor=manager)
            for office, kind, clause, text in FINDINGS:
                if office == suffix:
                    finding = audits.add_finding(audit, kind=kind, clause=clause, description=text, at=_at(day, 17),
                                                 actor=manager)
                    found.setdefault(suffix, []).append(finding)
        _correct(found, offices, manager)
        _review(cdc, plan, offices, manager)
    figures = plan_figures(plan)
    progress(f"  内部审核：{len(suffixes)} 个科室，审核发现 {figures['findings']} 项，"
             f"纠正措施 {figures['corrective_actions']['total']} 项")


def _correct(found: dict[str, list], offices: dict, manager) -> None:
    """Corrective actions, 15 working days each from the day after the audit."""
    n = 0
    for suffix, findings in found.items():
        _unit, head = offices[suffix]
        for finding in findings:
            if finding.kind != NC:
                continue
            opened = finding.raised_at + timedelta(hours=16)
            item = audits.raise_corrective_action(finding, title=f"纠正：{finding.description[:40]}", owner=head,
                                                  days=15, at=opened, actor=manager)
            n += 1
            if n == 8:
                continue  # still open at the review
            late = n == 5
            done = opened + timedelta(days=30 if late else 10 + n)
            item = followups.complete(item, note="已采取纠正措施并举一反三", at=done, actor=head)
            if n == 3:  # not effective: sent back with five more working days, then closed
                item = followups.verify(item, effective=False, note="复查仍有同类问题", reopen_limit=Limit.days(5),
                                        at=done + timedelta(days=2), actor=manager)
                item = followups.complete(item, note="补充培训并修订程序", at=done + timedelta(days=5), actor=head)
            followups.verify(item, effective=True, note="跟踪验证有效", at=done + timedelta(days=7), actor=manager)


def _review(cdc: OrgUnit, plan: AuditPlan, offices: dict, manager) -> None:
    f = plan_figures(plan, now=_at(date(2010, 12, 20), 9))
    ca = f["corrective_actions"]
    clauses = "、".join(f"{row['clause']}（{row['nonconformity']}）" for row in f["by_clause"] if row["nonconformity"])
    reviews.hold_review(
        cdc, code="KP-CDC-MR-2010", held_on=date(2010, 12, 20), chair="中心主任", at=_at(date(2010, 12, 20), 16),
        actor=manager, conclusion="质量体系总体适宜、充分、有效；加强设备期间核查和文件受控管理。",
        inputs={
            ReviewTopic.AUDITS: f"2010 年内部审核覆盖 {len(offices)} 个科室，发现 {f['findings']} 项"
                                f"（不符合项 {f['nonconformities']}，观察项 {f['observations']}），按条款：{clauses}。",
            ReviewTopic.ACTIONS: f"纠正措施 {ca['total']} 项，已办结 {ca['done']} 项，按时 {ca['done_on_time']} 项，"
                                 f"办理中 {ca['open']} 项。",
            ReviewTopic.PROFICIENCY: "参加省级能力验证 6 项，5 项满意，1 项未参加（已列为不符合项）。",
            ReviewTopic.OTHER: "质量月开展内部培训 20 场，涉及 35 个专题。",
        },
        decisions=[
            reviews.Decision("修订《设备管理程序》，增加期间核查计划", offices["LAB"][0], offices["LAB"][1], 20),
            reviews.Decision("2011 年一季度完成全部技术方案的受控更新", offices["EPI"][0], offices["EPI"][1], 40),
        ])


def report(write: Callable[[str], None]) -> None:
    plan = AuditPlan.objects.filter(code=PLAN_CODE).first()
    if plan is None:
        return
    f = plan_figures(plan)
    ca = f["corrective_actions"]
    write(f"{plan.title}：{plan.audits.count()} 个科室，审核发现 {f['findings']} 项（不符合项 {f['nonconformities']}，"
          f"观察项 {f['observations']}）")
    write("  按条款：" + "，".join(f"{r['clause']} {r['title']} {r['nonconformity']}/{r['observation']}"
                                for r in f["by_clause"]))
    write("  按科室：" + "，".join(f"{r['name']} {r['nonconformity']}/{r['observation']}" for r in f["by_department"]))
    share = f"{ca['on_time_share']:.0%}" if ca["on_time_share"] is not None else "—"
    write(f"  纠正措施 {ca['total']} 项：已办结 {ca['done']}，按时办结 {ca['done_on_time']}（{share}），"
          f"效果已验证 {ca['verified']}，办理中 {ca['open']}")
    review = ManagementReview.objects.filter(cdc=plan.cdc).first()
    if review is not None:
        write(f"  管理评审 {review.held_on}：输入 {review.inputs.count()} 项，决定 {reviews.decisions_of(review).count()} 项")
