"""A council's quarter: a meeting held in its quarter, members' proposals decided once (adopted ones
followed up on the clock), published for the company paper and the public; figures from the rows."""

import io
from datetime import date

import pytest

from tests.factories import at, only_error
from yizhan.audit.models import AuditEvent
from yizhan.councils import figures, meetings, proposals
from yizhan.councils.models import Outcome, Proposal
from yizhan.councils.proposals_csv import import_proposals
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUpState


def test_a_meeting_outside_its_quarter_is_refused(company):
    with pytest.raises(InvalidInput) as error:
        company.meeting(2009, 2, held_on=date(2009, 7, 1))
    assert (error.value.field, error.value.rule) == ("held_on", "outside_quarter")
    meeting = company.meeting(2009, 2, held_on=date(2009, 6, 30))
    assert set(meeting.attendees.values_list("name", flat=True)) == {"王强", "李梅"}
    with pytest.raises(InvalidInput) as twice:
        company.meeting(2009, 2, held_on=date(2009, 5, 1))
    assert twice.value.rule == "one_per_quarter"


def test_a_non_member_cannot_propose(company):
    meeting = company.meeting()
    with pytest.raises(InvalidInput) as error:
        proposals.submit(meeting, proposer=company.stranger, title="增设班车", submitted_on=date(2009, 2, 1))
    assert (error.value.field, error.value.rule) == ("proposer", "not_a_member")
    assert not Proposal.objects.exists()


def test_an_adopted_proposal_is_followed_up_on_the_clock_and_decided_only_once(company):
    meeting = company.meeting()
    p = proposals.submit(meeting, proposer=company.wang, title="食堂增加夜班供餐", submitted_on=date(2009, 2, 10))
    adopted = proposals.decide(p, outcome=Outcome.ADOPTED, owner=company.owner, days=10,
                               at=at("2009-02-16 15:00"), actor=company.secretary)
    item = adopted.follow_up
    assert (item.kind, item.unit, item.owner, item.state) == ("councils.proposal", company.branch, company.owner,
                                                             FollowUpState.OPEN)
    # Ten working days after Monday 16 February 2009: Monday 2 March.
    assert item.timer.deadline.date() == date(2009, 3, 2)
    with pytest.raises(IllegalTransition) as twice:
        proposals.decide(adopted, outcome=Outcome.REJECTED, reason="改变主意", actor=company.secretary)
    assert (twice.value.field, twice.value.rule) == ("outcome", "already_decided")
    assert Proposal.objects.get(pk=p.pk).outcome == Outcome.ADOPTED
    assert AuditEvent.objects.filter(action="councils.proposal.decided").count() == 1


def test_rejection_needs_a_reason_and_referral_a_unit(company):
    meeting = company.meeting()
    p = proposals.submit(meeting, proposer=company.li, title="调整考勤", submitted_on=date(2009, 2, 10))
    with pytest.raises(InvalidInput) as no_reason:
        proposals.decide(p, outcome=Outcome.REJECTED, reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(InvalidInput) as no_unit:
        proposals.decide(p, outcome=Outcome.REFERRED)
    assert no_unit.value.field == "referred_to"
    referred = proposals.decide(p, outcome=Outcome.REFERRED, referred_to=company.works)
    assert (referred.outcome, referred.referred_to, referred.follow_up) == (Outcome.REFERRED, company.works, None)


def test_publishing_waits_for_every_decision_and_the_figures_count_the_quarter(company):
    meeting = company.meeting()
    a = proposals.submit(meeting, proposer=company.wang, title="夜班供餐", submitted_on=date(2009, 2, 1))
    b = proposals.submit(meeting, proposer=company.li, title="更换工作服", submitted_on=date(2009, 2, 1))
    with pytest.raises(IllegalTransition) as early:
        meetings.publish(meeting)
    assert early.value.rule == "undecided"
    a = proposals.decide(a, outcome=Outcome.ADOPTED, owner=company.owner, days=5, at=at("2009-02-16 15:00"))
    proposals.decide(b, outcome=Outcome.REJECTED, reason="本年度已更换", at=at("2009-02-16 15:00"))
    followups.complete(a.follow_up, note="已开设夜班窗口", at=at("2009-02-20 10:00"), actor=company.owner)
    meetings.publish(meeting, at=at("2009-02-17 09:00"))
    [row] = figures.per_quarter(Proposal.objects.all(), now=at("2009-03-01 09:00"))
    assert (row["year"], row["quarter"], row["total"], row["adopted"], row["adopted_share"]) == (2009, 1, 2, 1, 0.5)
    assert row["follow_ups"]["on_time_share"] == 1.0


def test_a_broken_proposals_file_writes_nothing(company):
    meeting = company.meeting()
    data = ("proposer,title,submitted_on,content\n"
            "王强,食堂改进,2009-02-01,增加菜品\n"
            "孙丽,增设班车,2009-02-01,\n"
            "李梅,,2009-02-30,\n"
            "赵刚,会后提交,2009-03-01,\n")
    with pytest.raises(ImportFailed) as error:
        import_proposals(io.StringIO(data), meeting)
    assert [(e.line, e.field) for e in error.value.errors] == [(3, "proposer"), (4, "title"), (4, "submitted_on")]
    assert not Proposal.objects.exists()
    with pytest.raises(ImportFailed) as late:
        import_proposals(io.StringIO("proposer,title,submitted_on\n王强,好,2009-02-01\n赵刚,会后,2009-03-01\n"), meeting)
    assert [(e.line, e.field) for e in late.value.errors] == [(3, "submitted_on")]
    assert not Proposal.objects.exists()
    result = import_proposals(io.StringIO("proposer,title,submitted_on\n王强,食堂改进,2009-02-01\n"), meeting)
    assert result.created == 1 and Proposal.objects.get().number == 1


def test_the_api_decides_in_scope_and_refuses_a_second_decision(company):
    meeting = company.meeting()
    p = proposals.submit(meeting, proposer=company.wang, title="夜班供餐", submitted_on=date(2009, 2, 1))
    other = company.api(company.secretary2).post(f"/api/councils/proposals/{p.pk}/decision",
                                                 {"outcome": "rejected", "reason": "无"})
    assert only_error(other, 404)["field"] == "proposal_id"
    client = company.api(company.secretary)
    ok = client.post(f"/api/councils/proposals/{p.pk}/decision",
                     {"outcome": "adopted", "owner": "owner", "days": 10})
    assert ok.status_code == 200, ok.content
    assert ok.json()["outcome"] == "adopted" and ok.json()["follow_up"]["deadline"]
    again = client.post(f"/api/councils/proposals/{p.pk}/decision", {"outcome": "rejected", "reason": "无"})
    assert only_error(again, 409)["rule"] == "already_decided"
    listed = client.get("/api/councils/proposals", year=2009)
    assert [r["title"] for r in listed.json()] == ["夜班供餐"]
    assert company.api(company.secretary2).get("/api/councils/proposals").json() == []


def test_the_public_page_shows_only_published_quarters_and_no_personal_data(company, client):
    meeting = company.meeting()
    p = proposals.submit(meeting, proposer=company.wang, title="夜班供餐", content="联系电话 13812345678",
                         submitted_on=date(2009, 2, 1))
    assert client.get(f"/councils/public/{meeting.pk}/").status_code == 404
    proposals.decide(p, outcome=Outcome.REJECTED, reason="条件不具备")
    meetings.publish(meeting)
    page = client.get(f"/councils/public/{meeting.pk}/").content.decode()
    assert "夜班供餐" in page and "王强" in page and "条件不具备" in page
    assert "13812345678" not in page and "李梅" not in page  # neither content nor attendance
    assert f"/councils/public/{meeting.pk}/" in client.get("/councils/public/").content.decode()


def test_the_owner_of_an_adopted_proposal_must_answer_for_the_branch(company):
    meeting = company.meeting()
    p = proposals.submit(meeting, proposer=company.wang, title="夜班供餐", submitted_on=date(2009, 2, 1))
    with pytest.raises(InvalidInput) as error:
        proposals.decide(p, outcome=Outcome.ADOPTED, owner=company.secretary2)
    assert (error.value.field, error.value.rule) == ("owner", "owner_out_of_scope")
    assert Proposal.objects.get(pk=p.pk).outcome == Outcome.PENDING
