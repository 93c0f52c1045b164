import pytest

from tests.factories import at
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.surveillance.incidents import (
    add_log,
    add_sample,
    close_incident,
    link_cases,
    notify_incident,
    open_incident,
    respond_incident,
    seven_one_seven,
)
from yizhan.surveillance.models import Disease, Incident, SentinelResult
from yizhan.surveillance.sentinel import prevalence_table, wilson

from .conftest import card, report


def test_water_pollution_incident_with_samples_log_and_7_1_7(network, people):
    incident = open_incident(title="潭江赤坎段水污染", kind="water_pollution", unit=network["T01"], place="潭江赤坎段",
                             started_at=at("2010-05-10 06:00"), detected_at=at("2010-05-11 09:00"), actor=people["epi"])
    assert incident.state == "signal" and incident.notify_timer.limit_amount == 2
    notify_incident(incident, at=at("2010-05-11 15:00"))
    add_log(incident, "investigation", "上游排污口排查", at=at("2010-05-11 16:00"))
    add_log(incident, "measure", "暂停赤坎水厂取水，启用备用水源", at=at("2010-05-12 08:00"))
    high = add_sample(incident, taken_at=at("2010-05-12 09:00"), site="赤坎水厂取水口", parameter="氨氮", value=1.8,
                      limit=1.0, unit_label="mg/L")
    ok = add_sample(incident, taken_at=at("2010-05-20 09:00"), site="赤坎水厂取水口", parameter="氨氮", value=0.4,
                    limit=1.0, unit_label="mg/L")
    assert high.exceeds and not ok.exceeds
    with pytest.raises(InvalidInput):
        add_sample(incident, taken_at=at("2010-05-20 09:00"), site="x", parameter="氨氮", value=-1, limit=1.0)
    incident.refresh_from_db()
    times = seven_one_seven(incident)
    assert times["detection"] == {"hours": 27.0, "met": True}
    assert times["notification"] == {"hours": 6.0, "met": True}
    assert times["response"] == {"hours": 17.0, "met": True}
    assert incident.response_timer.stopped_at == at("2010-05-12 08:00")
    with pytest.raises(InvalidInput):
        close_incident(incident, report="", at=at("2010-05-25 00:00"))
    close_incident(incident, report="水质恢复达标，解除应急措施", at=at("2010-05-25 00:00"))
    with pytest.raises(IllegalTransition):
        add_log(incident, "measure", "x", at=at("2010-05-26 00:00"))


def test_food_poisoning_links_its_cases(network):
    incident = open_incident(title="某酒家食物中毒", kind="food_poisoning", unit=network["T02"], place="水口镇某酒家",
                             started_at=at("2024-03-01 12:00"), detected_at=at("2024-03-02 10:00"))
    c = report(card(disease="A09", subtype=""), unit=network["V0201"])
    link_cases(incident, [c])
    assert list(Incident.objects.get().cases.all()) == [c]
    with pytest.raises(InvalidInput):
        open_incident(title="x", kind="food_poisoning", unit=network["T02"], place="x",
                      started_at=at("2024-03-02 00:00"), detected_at=at("2024-03-01 00:00"))


def test_wilson_interval_matches_the_formula():
    low, high = wilson(3, 400)
    assert round(low, 5) == 0.00255 and round(high, 5) == 0.02182
    assert wilson(0, 200)[0] == pytest.approx(0.0, abs=1e-12)


def test_prevalence_by_group_and_round(network):
    hiv = Disease.objects.get(code="B24")
    SentinelResult.objects.create(unit=network["T01"], disease=hiv, group="drug_users", round="2010-1", tested=400,
                                  positive=3)
    SentinelResult.objects.create(unit=network["T02"], disease=hiv, group="drug_users", round="2010-1", tested=100,
                                  positive=2)
    SentinelResult.objects.create(unit=network["T01"], disease=hiv, group="pregnant", round="2010-1", tested=800,
                                  positive=0)
    rows = {r["group"]: r for r in prevalence_table()}
    assert rows["drug_users"]["tested"] == 500 and rows["drug_users"]["prevalence"] == 0.01
    assert rows["drug_users"]["ci_low"] < 0.01 < rows["drug_users"]["ci_high"]
    assert rows["pregnant"]["prevalence"] == 0.0 and rows["pregnant"]["ci_high"] > 0


def test_only_the_responsible_cdcs_epidemiologist_works_an_incident(network, people):
    incident = open_incident(title="某酒家食物中毒", kind="food_poisoning", unit=network["T02"], place="水口镇某酒家",
                             started_at=at("2024-03-01 12:00"), detected_at=at("2024-03-02 10:00"), actor=people["epi"])
    clinic = people["clinic2"]
    for attempt in (lambda: add_log(incident, "investigation", "x", at=at("2024-03-02 11:00"), actor=clinic),
                    lambda: add_sample(incident, taken_at=at("2024-03-02 11:00"), site="x", parameter="x", value=1,
                                       limit=2, actor=clinic),
                    lambda: link_cases(incident, [], actor=clinic),
                    lambda: respond_incident(incident, at=at("2024-03-02 11:00"), actor=clinic),
                    lambda: close_incident(incident, report="x", at=at("2024-03-02 11:00"), actor=clinic, dropped=True)):
        with pytest.raises(NotPermitted):
            attempt()
    assert Incident.objects.get().state == "signal" and not Incident.objects.get().log.exists()
