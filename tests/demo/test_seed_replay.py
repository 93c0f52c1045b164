"""The seed city and its replay: the seed files import through the hall's importers, the replay's
figures come out of the engine equal to what the generator planned, on the 2010 calendar, with every
transition's audit event; the full replay reproduces the report's table."""

import csv
import io
from collections import Counter, defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from yizhan.audit.models import AuditEvent
from yizhan.clock.models import TimerPause
from yizhan.demo import seed_replay
from yizhan.hall.catalog_csv import import_catalog
from yizhan.hall.models import (
    Case,
    CaseState,
    Channel,
    Complaint,
    Consultation,
    Finding,
    Matter,
    MatterKind,
    Notice,
    Outcome,
    Refusal,
    RefusalState,
)
from yizhan.hall.org_csv import import_org
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
SCALE = 0.02


def local(moment: datetime) -> datetime:
    return moment.astimezone(TZ)


def read_seed(name: str) -> list[dict[str, str]]:
    with open(seed_replay.seed_path(name), encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_seed_files_import_cleanly_through_the_hall_importers():
    with open(seed_replay.seed_path("org.csv"), encoding="utf-8", newline="") as stream:
        org = import_org(stream)
    with open(seed_replay.seed_path("catalog.csv"), encoding="utf-8", newline="") as stream:
        catalog = import_catalog(stream)
    center = OrgUnit.objects.get(code=seed_replay.CENTER_CODE)
    assert center.name == "开平市行政服务中心" and center.kind == UnitKind.CENTER
    departments = OrgUnit.objects.filter(parent=center, kind=UnitKind.DEPARTMENT)
    assert departments.count() == 41
    names = set(departments.values_list("name", flat=True))
    for name in ("发展和改革局", "公安局", "国土资源局", "住房和城乡建设局", "工商行政管理局", "国家税务局",
                 "地方税务局", "质量技术监督局", "卫生局", "环境保护局"):
        assert f"开平市{name}" in names
    for department in departments:
        assert 1 <= department.children.filter(kind=UnitKind.WINDOW).count() <= 3, department
        assert Matter.objects.filter(department=department).exists(), department
    assert org.created == 1 + 41 + OrgUnit.objects.filter(kind=UnitKind.WINDOW).count()
    assert catalog.created == Matter.objects.count() == len(read_seed("catalog.csv"))
    for matter in Matter.objects.prefetch_related("materials"):
        assert matter.promised_days <= matter.statutory_days, matter
        assert matter.materials.count() >= 2 and matter.legal_basis.startswith("《"), matter
        if matter.kind == MatterKind.ON_THE_SPOT:
            assert matter.promised_days == 0, matter
        else:
            assert matter.promised_days < matter.statutory_days, matter
    green = Matter.objects.filter(green_channel=True)
    assert green.filter(name="建筑工程施工许可证核发", green_channel_days__lt=7).exists()
    assert all(m.green_channel_days <= m.promised_days for m in green)
    # Every matter has a daily volume in the generator's workload file, and nothing else does.
    assert {r["matter_code"] for r in read_seed("workload.csv")} == set(Matter.objects.values_list("code", flat=True))


def test_scale_must_be_a_share_of_the_seed():
    with pytest.raises(ValueError, match="--scale"):
        seed_replay.targets_for(0)
    with pytest.raises(ValueError, match="--scale"):
        seed_replay.targets_for(1.5)
    with pytest.raises(CommandError, match="--scale"):
        call_command("replay-seed", "--scale", "2", stdout=io.StringIO())
    assert seed_replay.targets_for(1) == seed_replay.SEED_TARGETS
    assert seed_replay.targets_for(0.01).accepted == 627


def test_the_generator_is_deterministic():
    seed_replay.build_center(at=datetime(2010, 3, 1, 8, tzinfo=TZ))
    one, two = seed_replay.make_plan(SCALE, seed=7), seed_replay.make_plan(SCALE, seed=7)
    other = seed_replay.make_plan(SCALE, seed=8)
    steps = [[(s.at, s.op) for s in c.steps] for c in one.cases]
    assert steps == [[(s.at, s.op) for s in c.steps] for c in two.cases]
    assert steps != [[(s.at, s.op) for s in c.steps] for c in other.cases]
    assert one.expected() == other.expected() | {"median_days": one.median_days}


def test_scaled_replay_engine_figures_equal_the_plan():
    result = seed_replay.replay(scale=SCALE)
    plan, figures = result.plan, result.figures
    targets = seed_replay.targets_for(SCALE)

    # The engine's figures are the generator's plan, exactly, and the plan hits its targets.
    assert seed_replay.figures_match(figures, plan) == {}
    assert (figures.consultations, figures.accepted, figures.completed, figures.on_the_spot) == (
        targets.consultations, targets.accepted, targets.completed, targets.on_the_spot)
    assert figures.on_time_rate == 1.0 and figures.completed_on_time == figures.completed
    assert figures.overdue_open == 0 and figures.accountability == 0 and figures.valid_complaints == 0
    assert round(figures.on_the_spot_rate * 100) == 51

    # Open at the end: exactly the planned number, none past its promised deadline.
    period_end = datetime.combine(date(2010, 11, 1), time.min, tzinfo=TZ)
    still_open = Case.objects.filter(state__in=(CaseState.ACCEPTED, CaseState.UNDER_REVIEW))
    assert still_open.count() == targets.open_at_end
    assert not still_open.filter(promised_timer__deadline__lt=period_end).exists()

    # Every case's audit trail: one event per step it went through, by the replay, at the step's time.
    events = defaultdict(list)
    for object_id, action, at, label in AuditEvent.objects.filter(object_type="hall.case").values_list(
            "object_id", "action", "at", "actor_label"):
        events[int(object_id)].append((action, at, label))
    planned_steps = Counter()
    for case in plan.cases:
        planned_steps[len(case.steps) + (1 if case.steps[0].data.get("accept") else 0)] += 1
    assert Counter(len(trail) for trail in events.values()) == planned_steps
    cases = list(Case.objects.select_related("promised_timer", "statutory_timer"))
    assert len(cases) == len(plan.cases) == len(events)
    for case in cases:
        trail = events[case.pk]
        assert trail[0][0] == "hall.case.received" and trail[0][1] == case.received_at
        if case.accepted_at is not None:
            assert ("hall.case.accepted", case.accepted_at, "replay") in trail
            assert case.promised_timer is not None and case.statutory_timer.accountable
        if case.state == CaseState.COMPLETED:
            assert any(a.startswith("hall.case.completed") and at == case.completed_at for a, at, _l in trail)
            assert case.completed_at <= case.promised_timer.deadline
    assert {label for trail in events.values() for _a, _at, label in trail} >= {"replay"}
    assert result.audit_events == AuditEvent.objects.count() - AuditEvent.objects.filter(
        action__in=("org.unit.imported", "hall.matter.imported", "org.staff.created", "demo.replay.started",
                    "divisions.gbt2260.loaded")).count()  # the last one: the division table, loaded after migrate

    # Only 2010 working days: no acceptance during the National Day holiday, make-up Saturdays worked.
    accepted_days = {local(a).date() for a in Case.objects.exclude(accepted_at=None).values_list("accepted_at",
                                                                                                 flat=True)}
    assert all(chinese_calendar.is_workday(d) for d in accepted_days)
    assert not [d for d in accepted_days if date(2010, 10, 1) <= d <= date(2010, 10, 7)]
    assert date(2010, 10, 9) in accepted_days or date(2010, 9, 25) in accepted_days
    for moment in [*Case.objects.values_list("received_at", flat=True),
                   *Case.objects.exclude(completed_at=None).values_list("completed_at", flat=True),
                   *Consultation.objects.values_list("asked_at", flat=True)]:
        assert chinese_calendar.is_workday(local(moment).date()), moment

    # Extended-hours service at lunchtime and in the evening; the green channel for 翠山湖 projects.
    extended = Case.objects.filter(channel=Channel.EXTENDED_HOURS)
    assert extended.exists()
    assert all(time(12) <= local(c.received_at).time() <= time(14, 30) or local(c.received_at).time() >= time(17, 30)
               for c in extended)
    green = Case.objects.filter(green_channel=True).select_related("matter", "promised_timer")
    assert green.exists() and any("翠山湖" in c.green_project for c in green)
    for case in green:
        assert case.promised_timer.limit_amount == case.matter.green_channel_days < case.matter.promised_days
        assert local(case.accepted_at).date() >= seed_replay.GREEN_FROM

    # Pauses, one-time notices, refusals confirmed by a second person, withdrawals, complaints answered.
    assert TimerPause.objects.filter(timer__purpose="promised", ended_at__isnull=False).exclude(
        reason="supplement").exists()
    assert Notice.objects.filter(state="satisfied").count() == targets.supplements
    refused = Refusal.objects.filter(state=RefusalState.CONFIRMED)
    assert refused.count() == targets.refused_approval + targets.refused_to_accept
    assert all(r.reviewed_by_id != r.requested_by_id for r in refused)
    assert Case.objects.filter(state=CaseState.COMPLETED, outcome=Outcome.REFUSED).count() == targets.refused_approval
    withdrawn = Case.objects.filter(state=CaseState.WITHDRAWN)
    assert withdrawn.count() == targets.withdrawn
    assert Case.objects.exclude(accepted_at=None).count() == figures.accepted
    assert Complaint.objects.count() == targets.complaints
    assert not Complaint.objects.exclude(finding=Finding.INVALID).exists()
    assert not Complaint.objects.filter(replied_at=None).exists()
    assert Consultation.objects.filter(referrals__isnull=False, state="answered").exists()

    # A second replay into the same database is refused rather than doubling the period.
    with pytest.raises(seed_replay.ReplayError):
        seed_replay.replay(scale=SCALE)


def test_replay_seed_command_prints_the_engines_table():
    out = io.StringIO()
    call_command("replay-seed", "--scale", "0.01", "--quiet", stdout=out)
    text = out.getvalue()
    targets = seed_replay.targets_for(0.01)
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.strip()}
    assert rows["受理事项"] == [f"{targets.accepted:,}", f"{targets.accepted:,}"]
    assert rows["办结事项"] == [f"{targets.completed:,}", f"{targets.completed:,}"]
    assert rows["即办事项"] == [f"{targets.on_the_spot:,}", f"{targets.on_the_spot:,}"]
    assert rows["咨询事项"] == [f"{targets.consultations:,}"] * 2
    assert rows["按时办结率"] == ["100", "%", "100", "%"]
    assert rows["有效投诉"] == ["0", "0"]
    assert "审计事件" in text


# Login throttling (django-axes) authenticates only with the request of a sign-in.
SIGN_IN = RequestFactory().post("/admin/login/")


@pytest.mark.once_on_sqlite  # the demo as README starts it
def test_demo_prepares_the_city_and_accounts_without_serving(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", "--no-serve", "--scale", "0.01", stdout=out)
    text = out.getvalue()
    assert "受理事项" in text and "127.0.0.1" not in text
    lines = {line.split()[0]: line.split()[1] for line in text.splitlines() if line.startswith("  ")}
    for username, role, unit_code, _label in seed_replay_demo_accounts():
        user = authenticate(SIGN_IN, username=username, password=lines[username])
        assert user is not None, username
        assert StaffRole.objects.filter(user=user, role=role, unit__code=unit_code).exists()
    assert authenticate(SIGN_IN, username="admin", password=lines["admin"]).is_superuser
    assert (tmp_path / "demo-accounts.txt").stat().st_mode & 0o077 == 0

    # A second start replays nothing and shows the same credentials.
    cases = Case.objects.count()
    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert Case.objects.count() == cases
    assert f"admin       {lines['admin']}" in again.getvalue()


def seed_replay_demo_accounts():
    from yizhan.demo.accounts import DEMO_ACCOUNTS

    assert {role for _u, role, _c, _l in DEMO_ACCOUNTS} == {Role.ADMINISTRATOR, Role.CLERK, Role.DEPARTMENT_HEAD,
                                                            Role.HALL_SUPERVISOR}
    return DEMO_ACCOUNTS


@pytest.mark.full_replay
def test_full_replay_reproduces_the_seed_table():
    result = seed_replay.replay(scale=1.0)
    f = result.figures
    assert (f.consultations, f.accepted, f.completed, f.on_the_spot) == (31809, 62659, 62303, 32094)
    assert round(f.on_the_spot_rate * 100) == 51
    assert f.on_time_rate == 1.0 and f.completed_on_time == 62303
    assert f.valid_complaints == 0 and f.overdue_open == 0 and f.accountability == 0
    assert seed_replay.figures_match(f, result.plan) == {}
    out = io.StringIO()
    seed_replay.write_table(out, f, result.plan)
    assert "62,659" in out.getvalue() and "种子材料" in out.getvalue()
