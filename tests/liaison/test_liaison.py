"""Liaison points: one leader per school and one school per leader at a time; a visit's problems go
on the clock; the brief collects a period's visits, problems and follow-ups done, numbered."""

from datetime import date

import pytest

from tests.factories import at, only_error
from yizhan.errors import InvalidInput, NotPermitted
from yizhan.followups import service as followups
from yizhan.liaison import briefs, points, visits
from yizhan.liaison.models import Problem, Visit


def test_one_leader_per_school_and_one_school_per_leader_at_a_time(bureau):
    points.assign(bureau.s1, bureau.chen, started_on=date(2009, 3, 1))
    with pytest.raises(InvalidInput) as school:
        points.assign(bureau.s1, bureau.liu, started_on=date(2009, 9, 1))
    assert (school.value.field, school.value.rule) == ("school", "one_leader_per_school")
    with pytest.raises(InvalidInput) as leader:
        points.assign(bureau.s2, bureau.chen, started_on=date(2009, 9, 1))
    assert (leader.value.field, leader.value.rule) == ("leader", "one_school_per_leader")
    with pytest.raises(InvalidInput) as order:
        points.assign(bureau.s2, bureau.liu, started_on=date(2009, 9, 1), ended_on=date(2009, 8, 1))
    assert order.value.field == "ended_on"
    first = points.LiaisonPoint.objects.get()
    points.end(first, ended_on=date(2009, 8, 31))
    assert points.assign(bureau.s1, bureau.liu, started_on=date(2009, 9, 1)).leader == bureau.liu


def test_each_problem_of_a_visit_is_followed_up_on_the_clock(bureau):
    point = points.assign(bureau.s1, bureau.chen, started_on=date(2009, 3, 1))
    visit = visits.record_visit(point, visited_on=date(2009, 3, 10), findings="食堂卫生良好",
                                problems=["宿舍缺少热水", "", "校车座位不足"], days=10,
                                at=at("2009-03-10 16:00"), actor=bureau.chen)
    items = [p.follow_up for p in visit.problems.all()]
    assert [(i.kind, i.unit, i.owner, i.title) for i in items] == [
        ("liaison.problem", bureau.s1, bureau.chen, "宿舍缺少热水"), ("liaison.problem", bureau.s1, bureau.chen, "校车座位不足")]
    assert items[0].timer.deadline.date() == date(2009, 3, 24)
    with pytest.raises(NotPermitted):
        visits.record_visit(point, visited_on=date(2009, 3, 11), findings="代登记", actor=bureau.liu)
    with pytest.raises(InvalidInput) as before:
        visits.record_visit(point, visited_on=date(2009, 2, 1), findings="早于联系期", actor=bureau.chen)
    assert before.value.field == "visited_on"
    assert Visit.objects.count() == 1


def test_a_brief_issue_collects_the_period_and_is_numbered(bureau):
    point = points.assign(bureau.s1, bureau.chen, started_on=date(2009, 3, 1))
    v = visits.record_visit(point, visited_on=date(2009, 3, 10), findings="查看课堂", problems=["缺少实验器材"],
                            at=at("2009-03-10 16:00"))
    visits.record_visit(point, visited_on=date(2009, 4, 10), findings="回访", at=at("2009-04-10 16:00"))
    followups.complete(v.problems.get().follow_up, note="已配齐", at=at("2009-03-20 10:00"))
    march = briefs.issue(bureau.bureau, first_day=date(2009, 3, 1), last_day=date(2009, 3, 31))
    april = briefs.issue(bureau.bureau, first_day=date(2009, 4, 1), last_day=date(2009, 4, 30))
    assert (march.number, april.number) == (1, 2)
    e = briefs.entries(march)
    assert (len(e["visits"]), e["problems"], len(e["done"]), e["done_on_time"]) == (1, 1, 1, 1)
    assert len(briefs.entries(april)["visits"]) == 1 and briefs.entries(april)["done"] == []
    with pytest.raises(InvalidInput) as order:
        briefs.issue(bureau.bureau, first_day=date(2009, 5, 31), last_day=date(2009, 5, 1))
    assert order.value.field == "last_day"


def test_the_leader_records_a_visit_on_the_screen_and_through_the_api(bureau, client):
    client.force_login(bureau.chen)
    assigned = client.post("/liaison/assign/", {"school": bureau.s1.pk, "leader": bureau.chen.pk,
                                                "started_on": "2009-03-01"})
    assert assigned.status_code == 302
    twice = client.post("/liaison/assign/", {"school": bureau.s1.pk, "leader": bureau.liu.pk,
                                             "started_on": "2009-03-01"})
    assert twice.status_code == 422 and "已有联系领导" in twice.content.decode()
    point = points.LiaisonPoint.objects.get()
    page = client.get("/liaison/")
    assert "松柏小学" in page.content.decode()
    bad = client.post(f"/liaison/point/{point.pk}/visit/", {"visited_on": "2009-02-01", "findings": "x", "days": 5})
    assert bad.status_code == 422 and Visit.objects.count() == 0
    ok = client.post(f"/liaison/point/{point.pk}/visit/",
                     {"visited_on": "2009-03-12", "findings": "听课两节", "problems": "教室漏雨\n操场积水", "days": 5})
    assert ok.status_code == 302 and Problem.objects.count() == 2
    api = bureau.api(bureau.chen)
    made = api.post(f"/api/liaison/points/{point.pk}/visits", {"visited_on": "2009-03-20", "findings": "回访",
                                                              "problems": ["围墙破损"]})
    assert made.status_code == 200 and len(made.json()["follow_ups"]) == 1
    outsider = bureau.api(bureau.clerk).post(f"/api/liaison/points/{point.pk}/visits",
                                             {"visited_on": "2009-03-20", "findings": "x"})
    assert only_error(outsider, 404)["field"] == "point_id"
    brief = briefs.issue(bureau.bureau, first_day=date(2009, 3, 1), last_day=date(2009, 3, 31))
    printed = client.get(f"/liaison/brief/{brief.pk}/").content.decode()
    assert "第 1 期" in printed and "教室漏雨" in printed and "围墙破损" in printed


def test_the_bureau_assigns_points_through_the_api(bureau):
    api = bureau.api(bureau.chen)
    made = api.post("/api/liaison/points", {"school": "S2", "leader": "liu", "started_on": "2009-03-01"})
    assert made.status_code == 200, made.content
    clash = api.post("/api/liaison/points", {"school": "S2", "leader": "chen", "started_on": "2009-04-01"})
    assert only_error(clash, 422)["field"] == "school"
    school_clerk = bureau.api(bureau.clerk).post("/api/liaison/points",
                                                 {"school": "S3", "leader": "clerk", "started_on": "2009-03-01"})
    assert only_error(school_clerk, 403)["field"] == "school"
    ended = api.post(f"/api/liaison/points/{made.json()['id']}/end", {"ended_on": "2009-08-31"})
    assert ended.json()["ended_on"] == "2009-08-31"
    after = api.post("/api/liaison/points", {"school": "S2", "leader": "chen", "started_on": "2009-09-01"})
    assert after.status_code == 200 and after.json()["leader"] == "chen"


def test_only_a_leader_of_the_bureau_sets_ends_and_briefs_whoever_calls_the_service(bureau):
    with pytest.raises(NotPermitted) as refused:
        points.assign(bureau.s3, bureau.clerk, started_on=date(2009, 3, 1), actor=bureau.clerk)
    assert refused.value.field == "school"
    with pytest.raises(InvalidInput) as not_a_leader:
        points.assign(bureau.s3, bureau.users.objects.create_user("passer-by"), started_on=date(2009, 3, 1),
                      actor=bureau.chen)
    assert not_a_leader.value.rule == "not_a_leader"
    point = points.assign(bureau.s3, bureau.clerk, started_on=date(2009, 3, 1), actor=bureau.chen)
    with pytest.raises(NotPermitted):
        points.end(point, ended_on=date(2009, 6, 30), actor=bureau.clerk)
    with pytest.raises(NotPermitted):
        briefs.issue(bureau.bureau, first_day=date(2009, 3, 1), last_day=date(2009, 3, 31), actor=bureau.clerk)
    assert points.end(point, ended_on=date(2009, 6, 30), actor=bureau.liu).ended_on == date(2009, 6, 30)
