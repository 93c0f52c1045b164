"""The national rules as a county CDC's epidemiologist would check them on the first day."""

from datetime import date

import pytest

from tests.factories import at
from yizhan.errors import IllegalTransition, ImportFailed, InvalidInput
from yizhan.surveillance.cards import card_data, report_card
from yizhan.surveillance.counts import official_counts
from yizhan.surveillance.deletion import delete_card, restore
from yizhan.surveillance.duplicates import resolve
from yizhan.surveillance.incidents import file_report, open_incident, set_grade
from yizhan.surveillance.models import CardState, Grade, ReportKind
from yizhan.surveillance.returns import resubmit_card, return_card
from yizhan.surveillance.review import review_card

from .conftest import LONGTANG, card, report, resident_id


def test_a_backdated_card_keeps_the_servers_clock_and_is_late(network):
    """A cholera card keyed in five days after diagnosis, with a report time set one hour after it."""
    cholera = card(disease="A00", subtype="", diagnosed_at="2024-03-02T10:00", reported_at="2024-03-02T11:00")
    with pytest.raises(InvalidInput) as err:
        report_card(cholera, unit=network["V0101"], at=at("2024-03-07 10:00"))
    assert (err.value.field, err.value.rule) == ("reported_at", "server_stamped")
    del cholera["reported_at"]
    c = report_card(cholera, unit=network["V0101"], at=at("2024-03-07 10:00"))
    assert c.reported_at == at("2024-03-07 10:00") and c.late
    assert c.review_timer.started_at == at("2024-03-07 10:00") and c.review_timer.deadline == at("2024-03-07 12:00")


def test_a_paper_card_keyed_in_by_the_township_is_timed_by_its_filling_date(network, people):
    on_time = report(card(filled_on="2024-03-03"), unit=network["V0101"], entered_by=network["T01"],
                     at=at("2024-03-05 09:00"), actor=people["township"])
    assert on_time.proxy and on_time.filled_on == date(2024, 3, 3) and not on_time.late
    late = report(card(name="迟", id_number=resident_id(date(1970, 1, 1)), filled_on="2024-03-04"),
                  unit=network["V0101"], entered_by=network["T01"], at=at("2024-03-05 09:00"), actor=people["township"])
    assert late.late  # filled two days after diagnosis: past the 24 hours


def test_a_patient_living_in_another_township_counts_there(network, people):
    c = report(card(address_division=LONGTANG, house_number="8 号"), unit=network["V0101"])
    assert c.residence == "county" and c.residence_unit.code == "V0201"
    assert c.address == "广东省江门市开平市水口镇龙塘村8 号"
    review_card(c, actor=people["epi"], at=at("2024-03-02 16:00"))
    assert official_counts(date(2024, 3, 1), date(2024, 3, 9), unit=network["T02"]) == {"A03": 1}
    assert official_counts(date(2024, 3, 1), date(2024, 3, 9), unit=network["T01"]) == {}
    assert official_counts(date(2024, 3, 1), date(2024, 3, 9), unit=network["T02"],
                           reporting_unit=network["T01"]) == {"A03": 1}
    elsewhere = report(card(name="外", id_number=resident_id(date(1970, 1, 1), 111), address_division="430102"),
                       unit=network["V0101"])  # 长沙市芙蓉区, Hunan
    assert elsewhere.residence == "other_province" and elsewhere.residence_unit is None


def test_the_id_number_must_agree_with_birth_date_and_sex(network):
    with pytest.raises(InvalidInput) as err:
        report(card(birth_date="1981-05-01"), unit=network["V0101"])
    assert (err.value.field, err.value.rule) == ("birth_date", "id_birth_date")
    with pytest.raises(InvalidInput) as err:
        report(card(sex="F"), unit=network["V0101"])
    assert (err.value.field, err.value.rule) == ("sex", "id_sex")
    with pytest.raises(InvalidInput) as err:
        report(card(id_number=""), unit=network["V0101"])
    assert (err.value.field, err.value.rule) == ("id_number", "required")
    with pytest.raises(InvalidInput) as err:
        report(card(onset_date="2024-03-05", diagnosed_at="2024-03-05T10:00"), unit=network["V0101"])
    assert err.value.rule == "future_date"


def test_h7n9_is_reported_as_a_novel_influenza_subtype_from_2025_09_01(network):
    h7n9 = card(disease="J09.H7N9", subtype="", onset_date="2025-08-30", diagnosed_at="2025-08-31T10:00")
    assert report(h7n9, unit=network["V0101"], at=at("2025-08-31 11:00")).disease.code == "J09.H7N9"
    later = card(disease="J09.H7N9", subtype="", name="李", id_number=resident_id(date(1970, 1, 1)),
                 onset_date="2025-09-01", diagnosed_at="2025-09-01T10:00")
    with pytest.raises(InvalidInput) as err:
        report(later, unit=network["V0101"], at=at("2025-09-01 11:00"))
    assert err.value.rule == "disease_retired" and "J09" in err.value.message
    novel = report({**later, "disease": "J09"}, unit=network["V0101"], at=at("2025-09-01 11:00"))
    assert novel.disease.name == "人感染新亚型流感" and novel.review_timer.limit_amount == 24


def test_a_returned_card_corrected_on_time_goes_back_to_review(network, people):
    c = report(card(house_number=""), unit=network["V0101"])
    return_card(c, reason="现住址缺门牌号", actor=people["epi"], at=at("2024-03-02 16:00"))
    c.refresh_from_db()
    assert c.state == CardState.RETURNED and c.resubmit_timer.deadline == at("2024-03-03 16:00")
    with pytest.raises(IllegalTransition):
        review_card(c, actor=people["epi"], at=at("2024-03-02 17:00"))
    fixed = resubmit_card(c, card_data(c) | {"house_number": "12 号"}, actor=people["clinic"],
                          at=at("2024-03-03 09:00"))
    assert fixed.state == CardState.PENDING and fixed.card_no == c.card_no and fixed.times_returned == 1
    assert not fixed.resubmit_timer.overdue_at_stop and fixed.review_timer.started_at == at("2024-03-03 09:00")
    review_card(fixed, actor=people["epi"], at=at("2024-03-03 10:00"))


def test_the_hiv_duplicate_keeps_the_first_report(network, people):
    hiv = {"disease": "B24", "subtype": "HIV感染者", "classification": "confirmed"}
    first = report(card(**hiv), unit=network["V0101"])
    second = report(card(**hiv), unit=network["T01"], at=at("2024-03-02 18:00"))
    assert second.state == CardState.HELD
    kept = resolve(second, actor=people["epi"], at=at("2024-03-02 19:00"))
    assert kept == first  # the township is the higher level, but HIV keeps the first report


def test_only_a_reviewed_deletion_can_be_restored(network, people):
    mistaken = report(card(), unit=network["V0101"])
    delete_card(mistaken, reason="录入错误，患者信息有误", actor=people["clinic"], at=at("2024-03-02 16:00"))
    mistaken.refresh_from_db()
    assert mistaken.state == CardState.DELETED and not mistaken.deletion_reviewed
    with pytest.raises(IllegalTransition) as err:
        restore(mistaken, actor=people["epi"], at=at("2024-03-02 17:00"))
    assert err.value.rule == "unreviewed_deletion"
    other = report(card(name="赵", id_number=resident_id(date(1970, 1, 1))), unit=network["V0101"])
    delete_card(other, reason="非本辖区病例，重复录入", actor=people["epi"], at=at("2024-03-02 16:00"))
    assert restore(other, actor=people["epi"], at=at("2024-03-02 17:00")).state == CardState.PENDING


def test_a_grade_iii_event_reported_at_2_h_5_min_is_late(network, people):
    epi = people["epi"]
    event = open_incident(title="某酒家食物中毒", kind="food_poisoning", unit=network["T01"], place="某酒家",
                          started_at=at("2024-06-01 12:00"), detected_at=at("2024-06-01 20:00"), actor=epi)
    set_grade(event, Grade.III, reason="就餐者 120 人发病", criterion="一次食物中毒人数超过100人", actor=epi,
              at=at("2024-06-01 21:00"))
    initial = file_report(event, ReportKind.INITIAL, text="120 人发病，无死亡", cases=120, actor=epi,
                          at=at("2024-06-01 22:05"))
    assert initial.late and initial.grade == Grade.III
    with pytest.raises(InvalidInput):
        set_grade(event, Grade.II, reason="", actor=epi)
    file_report(event, ReportKind.PROGRESS, text="新增 5 例", cases=125, actor=epi, at=at("2024-06-02 09:00"))
    event.refresh_from_db()
    assert event.grade == Grade.III and event.grade_changes.count() == 1 and event.cases_count == 125


def test_quality_counts_completeness_accuracy_and_missed_reports_against_the_his_list(network, people):
    from io import StringIO

    from yizhan.surveillance.his import import_his
    from yizhan.surveillance.quality import quality

    complete = report(card(phone="13800001111"), unit=network["V0101"])
    returned = report(card(name="退", id_number=resident_id(date(1970, 1, 1)), phone="13800001112"),
                      unit=network["V0101"])
    return_card(returned, reason="诊断依据不足", actor=people["epi"], at=at("2024-03-02 16:00"))
    report(card(name="缺", id_number=resident_id(date(1971, 1, 1))), unit=network["V0101"])  # no patient phone
    import_his(StringIO("unit,his_id,name,id_number,disease,diagnosed_on\n"
                        f"V0101,H1,张三,{complete.id_number},A03,2024-03-02\n"
                        f"V0101,H2,漏报者,{resident_id(date(1972, 1, 1))},A03,2024-03-02\n"
                        "V0101,H3,无证件者,,A09,2024-03-03\n"), actor=people["epi"], at=at("2024-03-10 00:00"))
    q = quality(network["T01"], date(2024, 3, 1), date(2024, 3, 31))
    assert q.cards == 3 and q.complete_rate == round(2 / 3, 4) and q.accurate_rate == round(2 / 3, 4)
    assert (q.diagnosed, q.missed, q.missed_rate) == (3, 2, round(2 / 3, 4))
    with pytest.raises(ImportFailed) as err:
        import_his(StringIO("unit,his_id,name,disease,diagnosed_on\nNOPE,H9,某,Z99,2024-13-01\n"),
                   actor=people["epi"])
    assert "NOPE" in str(err.value) and "Z99" in str(err.value)
