"""Internal audits per department, findings against the standard's clauses, corrective actions on
the clock verified by a second person, management reviews, the figures, the CSV import, the API and
the quality manager's screens."""

import io
from datetime import date

import pytest
from django.test import Client

from tests.factories import at, only_error, password
from yizhan.clock.limits import Limit
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.quality import audits, findings_csv, reviews
from yizhan.quality.figures import plan_figures
from yizhan.quality.models import Finding, ReviewTopic


def test_an_audit_is_scheduled_only_for_an_office_of_the_cdc_with_an_independent_lead(quality):
    other = quality.unit("T1", "三埠镇卫生院", "township", quality.cdc)
    with pytest.raises(InvalidInput) as not_office:
        audits.schedule_audit(quality.plan, other, planned_on=date(2010, 6, 9))
    assert not_office.value.field == "department"
    office = quality.unit("CDC-ENV", "卫生监测科", "office", quality.cdc)
    env_head = quality.staff("envhead", "follow_up_owner", office)
    with pytest.raises(InvalidInput) as own:
        audits.schedule_audit(quality.plan, office, planned_on=date(2010, 6, 9), lead_auditor=env_head)
    assert (own.value.field, own.value.rule) == ("lead_auditor", "not_independent")
    with pytest.raises(InvalidInput) as twice:
        audits.schedule_audit(quality.plan, quality.lab, planned_on=date(2010, 6, 9))
    assert twice.value.field == "department"
    with pytest.raises(InvalidInput) as year:
        audits.schedule_audit(quality.plan, office, planned_on=date(2011, 1, 5))
    assert year.value.field == "planned_on"


def test_findings_name_a_clause_of_the_standard_on_a_conducted_audit(quality):
    with pytest.raises(IllegalTransition):
        quality.finding()
    quality.conducted()
    with pytest.raises(InvalidInput) as unknown:
        quality.finding(clause="6.1")
    assert (unknown.value.field, unknown.value.rule) == ("clause", "unknown_clause")
    with pytest.raises(InvalidInput) as kind:
        quality.finding(kind="minor")
    assert kind.value.field == "kind"
    first, second = quality.finding(), quality.finding(kind="observation", clause="5.3", text="温湿度漏记")
    assert (first.seq, second.seq) == (1, 2)


def test_a_corrective_action_is_on_the_clock_and_its_effect_verified_by_a_second_person(quality):
    quality.conducted()
    nc = quality.finding()
    obs = quality.finding(kind="observation", clause="5.3")
    with pytest.raises(InvalidInput) as no_action:
        audits.raise_corrective_action(obs, title="x", owner=quality.lab_head, days=10, at=at("2010-06-08 09:00"))
    assert no_action.value.rule == "not_nonconformity"
    with pytest.raises(InvalidInput) as wrong_owner:
        audits.raise_corrective_action(nc, title="x", owner=quality.imm_head, days=10, at=at("2010-06-08 09:00"))
    assert wrong_owner.value.field == "owner"
    item = audits.raise_corrective_action(nc, title="补做期间核查", owner=quality.lab_head, days=10,
                                          at=at("2010-06-08 09:00"), actor=quality.manager)
    assert (item.kind, item.unit, item.needs_verification) == ("quality.corrective_action", quality.lab, True)
    # 10 working days: the Dragon Boat holiday (14–16 June) skipped, the make-up weekend (12–13 June) counted
    assert item.timer.deadline == at("2010-06-23 23:59:59.999999")
    with pytest.raises(InvalidInput):
        audits.raise_corrective_action(nc, title="again", owner=quality.lab_head, days=5, at=at("2010-06-08 10:00"))
    item = followups.complete(item, note="已补做", at=at("2010-06-18 10:00"), actor=quality.lab_head)
    item = followups.verify(item, effective=False, note="仍缺 4 月", reopen_limit=Limit.days(3),
                            at=at("2010-06-21 10:00"), actor=quality.manager)
    item = followups.complete(item, note="全部补齐", at=at("2010-06-22 10:00"), actor=quality.lab_head)
    followups.verify(item, effective=True, note="有效", at=at("2010-06-23 10:00"), actor=quality.manager2)
    f = plan_figures(quality.plan, now=at("2010-07-01 09:00"))
    assert f["by_clause"] == [{"clause": "5.3", "title": "设施和环境条件", "nonconformity": 0, "observation": 1},
                              {"clause": "5.5", "title": "设备", "nonconformity": 1, "observation": 0}]
    assert f["by_department"] == [{"department": "CDC-LAB", "name": "检验科", "nonconformity": 1, "observation": 1}]
    ca = f["corrective_actions"]
    assert (ca["total"], ca["done_on_time"], ca["verified"], ca["on_time_share"]) == (1, 1, 1, 1.0)


def test_a_management_review_needs_the_audit_input_and_its_decisions_go_on_the_clock(quality):
    with pytest.raises(InvalidInput) as missing:
        reviews.hold_review(quality.cdc, code="MR", held_on=date(2010, 12, 20), chair="主任", conclusion="有效",
                            inputs={ReviewTopic.FEEDBACK: "无投诉"})
    assert missing.value.rule == "audits_required"
    review = reviews.hold_review(
        quality.cdc, code="MR", held_on=date(2010, 12, 20), chair="主任", conclusion="有效",
        inputs={ReviewTopic.AUDITS: "发现 2 项", ReviewTopic.ACTIONS: "按时"}, at=at("2010-12-20 16:00"),
        decisions=[reviews.Decision("修订设备管理程序", quality.lab, quality.lab_head, 20)], actor=quality.manager)
    assert review.inputs.count() == 2
    [decision] = reviews.decisions_of(review)
    assert (decision.owner, decision.state) == (quality.lab_head, FollowUpState.OPEN)


def test_findings_import_reports_every_broken_row_and_writes_nothing(quality):
    quality.conducted()
    text = ("department_code,kind,clause,description\n"
            "CDC-LAB,nonconformity,4.13.2,记录更改未签名\n"
            "CDC-IMM,observation,5.8,冷库\n"   # the audit is not conducted yet
            "CDC-XX,observation,5.8,x\n"       # no audit of that office
            "CDC-LAB,minor,5.8,x\n"            # unknown kind
            "CDC-LAB,observation,9.9,x\n"      # unknown clause
            "CDC-LAB,observation,5.8,\n")      # no description
    with pytest.raises(ImportFailed) as failed:
        findings_csv.import_findings(quality.plan, io.StringIO(text), actor=quality.manager)
    assert [(e.line, e.field) for e in failed.value.errors] == [
        (3, "department_code"), (4, "department_code"), (5, "kind"), (6, "clause"), (7, "description")]
    assert Finding.objects.count() == 0
    ok = findings_csv.import_findings(quality.plan, io.StringIO(text.split("CDC-IMM")[0]), actor=quality.manager)
    assert ok.created == 1 and Finding.objects.get().clause == "4.13.2"


def test_the_api_records_findings_and_actions_and_refuses_bad_ones_naming_the_field(quality):
    api = quality.api(quality.manager)
    audit = quality.lab_audit.pk
    assert only_error(api.post(f"/api/quality/audits/{audit}/findings", {
        "kind": "nonconformity", "clause": "5.5", "description": "x"}), 409)["field"] == "audit"
    assert api.post(f"/api/quality/audits/{audit}/conduct", {"conducted_on": "2010-06-07",
                                                            "summary": "有效"}).status_code == 200
    error = only_error(api.post(f"/api/quality/audits/{audit}/findings", {
        "kind": "nonconformity", "clause": "7.1", "description": "x"}), 422)
    assert error["field"] == "clause"
    finding = api.post(f"/api/quality/audits/{audit}/findings", {
        "kind": "nonconformity", "clause": "5.5.2", "description": "期间核查缺失"}).json()
    action = api.post(f"/api/quality/findings/{finding['id']}/action",
                      {"title": "补做期间核查", "owner": "labhead", "days": 10})
    assert action.status_code == 200 and action.json()["kind"] == "quality.corrective_action"
    listed = api.get("/api/quality/findings", plan="IA2010").json()
    assert listed[0]["corrective_action"]["owner"] == "labhead"
    figures = api.get("/api/quality/figures", plan="IA2010").json()
    assert figures["by_department"][0]["nonconformity"] == 1
    review = api.post("/api/quality/reviews", {
        "cdc": "CDC", "code": "MR2010", "held_on": "2010-12-20", "chair": "主任", "conclusion": "有效",
        "inputs": [{"topic": "audits", "summary": "1 项"}],
        "decisions": [{"title": "修订程序", "unit": "CDC-LAB", "owner": "labhead", "days": 20}]})
    assert review.status_code == 200 and len(review.json()["decisions"]) == 1
    assert quality.api(quality.outsider).get("/api/quality/plans").json() == []
    assert quality.api(quality.imm_head).get("/api/quality/audits").json()[0]["department"] == "CDC-IMM"


def test_the_quality_managers_screens(quality):
    client = Client()
    assert client.login(username="manager", password=password("manager"))
    audit_url = f"/quality/audits/{quality.lab_audit.pk}/"
    assert client.post(audit_url + "conduct/", {"conducted_on": "2010-06-07", "summary": "有效"}).status_code == 302
    refused = client.post(audit_url + "finding/", {"kind": "nonconformity", "clause": "8.8", "description": "x"})
    assert refused.status_code == 422 and "没有条款" in refused.content.decode()
    assert client.post(audit_url + "finding/", {"kind": "nonconformity", "clause": "5.5.2",
                                                "description": "期间核查缺失"}).status_code == 302
    finding = Finding.objects.get()
    assert client.post(audit_url + "action/", {"finding": finding.pk, "title": "补做", "owner": quality.lab_head.pk,
                                               "days": 10}).status_code == 302
    assert FollowUp.objects.filter(kind="quality.corrective_action").count() == 1
    page = client.get("/quality/").content.decode()
    assert "5.5 设备" in page and "补做" in page
    exported = client.get("/quality/", {"plan": "IA2010", "export": "csv", "table": "findings"})
    assert "期间核查缺失" in exported.content.decode("utf-8-sig")
    assert Client().get("/quality/").status_code == 302


def test_the_command_line_imports_findings_and_prints_the_figures(quality, tmp_path):
    import json

    from django.core.management import CommandError, call_command

    quality.conducted()
    path = tmp_path / "findings.csv"
    path.write_text("department_code,kind,clause,description\nCDC-LAB,observation,5.3,温湿度漏记\n", encoding="utf-8")
    call_command("quality", "import-findings", "IA2010", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("quality", "figures", "IA2010", stdout=out)
    assert json.loads(out.getvalue())["observations"] == 1
    with pytest.raises(CommandError):
        call_command("quality", "figures", "NOPE")


def test_the_overview_shows_a_nonconformity_still_without_its_corrective_action(quality):
    quality.conducted()
    quality.finding(text="温湿度记录缺失")
    client = Client()
    client.force_login(quality.manager)
    page = client.get("/quality/")
    assert page.status_code == 200 and "温湿度记录缺失" in page.content.decode() and "待定纠正措施" in page.content.decode()
    for fmt in ("csv", "xlsx"):
        assert client.get("/quality/", {"plan": "IA2010", "export": fmt, "table": "findings"}).status_code == 200


def test_the_findings_csv_of_the_api_writes_a_formula_as_text(quality):
    quality.conducted()
    quality.finding(text="=HYPERLINK(\"http://evil.example/\")")
    quality.finding(text="+1-1 与 -2+3 的记录")
    exported = quality.api(quality.manager).get("/api/quality/findings.csv", plan="IA2010")
    text = exported.content.decode("utf-8-sig")
    assert exported.status_code == 200
    assert "'=HYPERLINK" in text and "'+1-1" in text
