from datetime import date

import pytest

from tests.factories import at
from yizhan.audit.models import AuditEvent
from yizhan.clock.models import AccountabilityRecord
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.surveillance.cards import card_data, check_card, correct_card
from yizhan.surveillance.counts import official_counts
from yizhan.surveillance.deletion import delete_card, restore
from yizhan.surveillance.duplicates import release, resolve
from yizhan.surveillance.models import CardState, CaseCard
from yizhan.surveillance.quality import quality
from yizhan.surveillance.review import review_card, sweep_reviews

from .conftest import LONGTANG, card, report, resident_id


def test_a_card_is_reported_and_waits_for_review_on_a_24_hour_clock(network, people):
    c = report(card(), unit=network["V0101"], actor=people["clinic"])
    assert c.state == CardState.PENDING and not c.late and not c.proxy
    assert c.card_no == "V0101-2024-000001"
    assert c.review_timer.limit_amount == 24 and c.review_timer.responsible_unit.code == "CDC"
    assert c.review_timer.deadline == at("2024-03-03 15:00")
    assert AuditEvent.objects.filter(action="surveillance.card.reported", object_id=str(c.pk)).exists()


def test_class_a_card_is_late_after_two_hours(network):
    c = report(card(disease="A00", subtype="", diagnosed_at="2024-03-02T10:00", reported_at="2024-03-02T12:30"),
                    unit=network["V0101"])
    assert c.late and c.review_timer.limit_amount == 2


@pytest.mark.parametrize(("overrides", "field", "rule"), [
    ({"onset_date": "2024-03-02", "diagnosed_at": "2024-03-01T10:00"}, "onset_date", "date_order"),
    ({"death_date": "2024-03-01"}, "death_date", "date_order"),
    ({"disease": "Z99"}, "disease", "unknown_disease"),
    ({"id_number": resident_id(date(1980, 5, 1))[:-1] + "0"}, "id_number", "resident_id_check_digit"),
    ({"occupation": "pilot"}, "occupation", "choice"),
    ({"subtype": ""}, "subtype", "subtype"),
    ({"birth_date": "2018-01-01", "id_number": "", "no_id_number": True}, "guardian", "required"),
    ({"disease": "B16", "subtype": ""}, "acute_chronic", "required"),
])
def test_bad_cards_are_refused_naming_the_field_and_nothing_is_written(network, overrides, field, rule):
    with pytest.raises(InvalidInput) as err:
        report(card(**overrides), unit=network["V0101"])
    assert (err.value.field, err.value.rule) == (field, rule)
    assert not CaseCard.objects.exists() and not AuditEvent.objects.filter(action__startswith="surveillance.card")


def test_check_card_lists_every_broken_field(network):
    _checked, errors = check_card(card(name="", sex="X", disease="Z99"))
    assert [e.field for e in errors] == ["name", "sex", "disease"]


def test_township_enters_a_card_on_a_clinics_behalf(network, people):
    c = report(card(), unit=network["V0101"], entered_by=network["T01"], actor=people["township"])
    assert c.proxy and c.entered_by_unit.code == "T01"
    with pytest.raises(InvalidInput) as err:
        report(card(name="李四"), unit=network["V0101"], entered_by=network["T02"])
    assert err.value.field == "entered_by_unit"


def test_a_correction_names_the_card_and_keeps_the_original(network, people):
    original = report(card(classification="suspected"), unit=network["V0101"])
    data = card_data(original) | {"classification": "confirmed", "disease": "A09", "subtype": ""}
    fixed = correct_card(original, data, actor=people["clinic"])
    original.refresh_from_db()
    assert original.state == CardState.CORRECTED and original.classification == "suspected"
    assert original.disease.code == "A03"
    assert fixed.kind == "correction" and fixed.corrects == original and fixed.original_disease.code == "A03"
    assert fixed.disease.code == "A09" and fixed.state == CardState.PENDING
    with pytest.raises(IllegalTransition):
        correct_card(original, data)


def test_review_by_the_cdc_and_official_counts_by_review_date(network, people):
    c = report(card(), unit=network["V0101"])
    with pytest.raises(NotPermitted):
        review_card(c, actor=people["township"], at=at("2024-03-02 16:00"))
    review_card(c, actor=people["epi"], at=at("2024-03-04 09:00"))
    c.refresh_from_db()
    assert c.state == CardState.REVIEWED and c.review_timer.overdue_at_stop
    assert official_counts(date(2024, 3, 4), date(2024, 3, 4)) == {"A03": 1}
    assert official_counts(date(2024, 3, 2), date(2024, 3, 3)) == {}
    with pytest.raises(IllegalTransition):
        review_card(c, actor=people["epi"])


def test_overdue_reviews_get_one_accountability_record(network):
    report(card(), unit=network["V0101"])
    assert sweep_reviews(at("2024-03-04 00:00")) == 1
    assert sweep_reviews(at("2024-03-05 00:00")) == 0
    assert AccountabilityRecord.objects.get().responsible_unit.code == "CDC"


def test_probable_duplicate_is_held_and_the_higher_diagnosis_kept(network, people):
    first = report(card(classification="clinical"), unit=network["V0101"])
    second = report(card(classification="confirmed", reported_at="2024-03-02T18:00"), unit=network["T01"])
    assert second.state == CardState.HELD and second.duplicate_of == first
    assert official_counts(date(2024, 3, 1), date(2024, 3, 9)) == {}
    kept = resolve(second, actor=people["epi"], at=at("2024-03-02 19:00"))
    first.refresh_from_db()
    assert kept == second and first.state == CardState.DELETED and first.kept_card == second
    assert CaseCard.objects.get(pk=second.pk).state == CardState.PENDING
    restore(first, actor=people["epi"], at=at("2024-03-03 00:00"))
    first.refresh_from_db()
    assert first.state == CardState.PENDING and first.kept_card is None
    review_card(first, actor=people["epi"], at=at("2024-03-03 01:00"))


def test_without_id_the_same_person_is_matched_by_name_sex_occupation_birth_and_address(network, people):
    report(card(id_number="", no_id_number=True), unit=network["V0101"])
    held = report(card(id_number="", no_id_number=True, reported_at="2024-03-02T16:00"), unit=network["V0101"])
    other = report(card(id_number="", no_id_number=True, name="王五", reported_at="2024-03-02T16:00"), unit=network["V0101"])
    assert held.state == CardState.HELD and other.state == CardState.PENDING
    release(held, actor=people["epi"])
    assert CaseCard.objects.get(pk=held.pk).state == CardState.PENDING
    with pytest.raises(InvalidInput):
        delete_card(other, kept=other, actor=people["epi"], reason="x")


def test_a_second_episode_of_a_recurring_disease_is_not_a_duplicate(network):
    report(card(), unit=network["V0101"])
    later = report(card(onset_date="2024-06-01", diagnosed_at="2024-06-01T09:00",
                             filled_on="2024-06-01", reported_at="2024-06-01T10:00"), unit=network["V0101"])
    assert later.state == CardState.PENDING
    # Hepatitis B does not recur: a second card months later is still a duplicate.
    report(card(disease="B16", subtype="", acute_chronic="chronic"), unit=network["V0101"])
    again = report(card(disease="B16", subtype="", acute_chronic="chronic", onset_date="2024-06-01",
                             diagnosed_at="2024-06-01T09:00", filled_on="2024-06-01", reported_at="2024-06-01T10:00"), unit=network["V0101"])
    assert again.state == CardState.HELD


def test_scope_clinic_sees_its_own_township_its_clinics_cdc_all(network, people):
    report(card(), unit=network["V0101"])
    report(card(name="赵六", id_number=resident_id(date(1990, 1, 1)), birth_date="1990-01-01",
                address_division="440783107202"), unit=network["V0102"])
    report(card(name="钱七", id_number=resident_id(date(1991, 1, 1)), birth_date="1991-01-01",
                address_division=LONGTANG), unit=network["V0201"])
    seen = {k: set(CaseCard.objects.restrict(u).values_list("reporting_unit__code", flat=True))
            for k, u in people.items()}
    assert seen["clinic"] == {"V0101"} and seen["clinic2"] == {"V0201"}
    assert seen["township"] == {"V0101", "V0102"}
    assert seen["epi"] == {"V0101", "V0102", "V0201"}


def test_quality_figures_per_unit_and_period(network, people):
    a = report(card(), unit=network["V0101"])
    report(card(name="赵六", id_number=resident_id(date(1990, 1, 1)), birth_date="1990-01-01",
                diagnosed_at="2024-03-01T10:00"),
                unit=network["V0101"])  # reported 29 h after diagnosis: late
    review_card(a, actor=people["epi"], at=at("2024-03-02 17:00"))
    q = quality(network["CDC"], date(2024, 3, 1), date(2024, 3, 31))
    assert q.cards == 2 and q.timely_report_rate == 0.5 and q.timely_review_rate == 1.0
    assert q.mean_report_delay_hours == 17.0 and q.mean_review_delay_hours == 2.0
    assert set(q.zero_report_units) == {"T01", "T02", "V0102", "V0201"}
    assert q.duplicate_rate == 0.0
    assert quality(network["T02"], date(2024, 3, 1), date(2024, 3, 31)).cards == 0
