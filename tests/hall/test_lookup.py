"""The applicant's lookup: case number plus the last four digits of phone or ID; nothing personal in
the answer; wrong guesses counted in the shared cache, slowed down, logged."""

import pytest
from django.core.cache import cache

from tests.factories import VALID_ID, at
from yizhan.audit.models import AuditEvent
from yizhan.errors import InvalidInput
from yizhan.hall import cases as engine
from yizhan.hall.lookup import LookupFailed, TooManyTries, failures, lookup_case, rate_by_lookup
from yizhan.hall.models import Rectification

ID = VALID_ID


@pytest.fixture(autouse=True)
def _empty_cache(db):  # the cache lives in the database: set it up first
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(hall):
    return hall.receive(applicant_id=ID, applicant_phone="138-0013-8000", applicant_name="张三")


def test_the_phone_or_the_id_suffix_shows_state_timeline_and_deadline_only(hall, case):
    engine.accept_case(case, at=at("2010-03-01 10:00"), actor=hall.clerk)
    view = lookup_case(case.case_no, "8000", client="1.2.3.4", at=at("2010-03-02 09:00"))
    assert view["state"] == "accepted" and view["promised_deadline"] == at("2010-03-08 23:59:59.999999")
    assert [s["step"] for s in view["timeline"]] == ["received", "accepted"]
    assert view["can_rate"] is False
    text = repr(view)
    assert "张三" not in text and ID not in text and "13800138000" not in text and "clerk" not in text
    assert lookup_case(case.case_no, ID[-4:], client="1.2.3.4", at=at("2010-03-02 09:00"))["case_no"] == case.case_no


def test_input_that_cannot_be_a_guess_is_not_counted(hall, case):
    with pytest.raises(InvalidInput) as info:
        lookup_case(case.case_no, "12a", client="1.2.3.4", at=at("2010-03-02 09:00"))
    assert info.value.field == "last4"
    assert failures("1.2.3.4", case.case_no) == 0


def test_wrong_guesses_wait_longer_and_longer_and_are_logged(hall, case, caplog):
    now = at("2010-03-02 09:00")
    for _n in range(3):  # three mistakes cost nothing
        with pytest.raises(LookupFailed):
            lookup_case(case.case_no, "0000", client="1.2.3.4", at=now)
    with pytest.raises(LookupFailed):
        lookup_case(case.case_no, "1111", client="1.2.3.4", at=now)
    with pytest.raises(TooManyTries) as info:  # the fourth mistake costs two seconds, even for the right digits
        lookup_case(case.case_no, "8000", client="1.2.3.4", at=now)
    assert info.value.retry_after == 2
    later = now.replace(second=3)
    with pytest.raises(LookupFailed):
        lookup_case(case.case_no, "2222", client="1.2.3.4", at=later)
    with pytest.raises(TooManyTries) as info:
        lookup_case(case.case_no, "8000", client="1.2.3.4", at=later)
    assert info.value.retry_after == 4
    # Another address is slowed down too: the case number itself is being guessed.
    with pytest.raises(TooManyTries):
        lookup_case(case.case_no, "8000", client="5.6.7.8", at=later)
    assert failures("1.2.3.4", case.case_no) == 5
    assert AuditEvent.objects.filter(action="hall.lookup.failed").count() == 5
    assert "case lookup failed" in caplog.text
    assert lookup_case(case.case_no, "8000", client="1.2.3.4", at=now.replace(second=10))["state"] == "submitted"


def test_a_right_guess_does_not_reset_the_count_of_wrong_ones(hall, case):
    """Otherwise one known case of one's own would buy every guesser three free tries again and again."""
    now = at("2010-03-02 09:00")
    for _n in range(3):
        with pytest.raises(LookupFailed):
            lookup_case("KP-19990101-00001", "0000", client="1.2.3.4", at=now)
    assert lookup_case(case.case_no, "8000", client="1.2.3.4", at=now)["state"] == "submitted"
    assert failures("1.2.3.4", "KP-19990101-00001") == 3
    with pytest.raises(LookupFailed):
        lookup_case("KP-19990101-00002", "0000", client="1.2.3.4", at=now)
    with pytest.raises(TooManyTries):  # the fourth wrong guess from this address costs two seconds
        lookup_case("KP-19990101-00003", "0000", client="1.2.3.4", at=now)


def test_an_unknown_number_answers_like_a_wrong_suffix(hall, case):
    with pytest.raises(LookupFailed) as unknown:
        lookup_case("KP-19990101-00001", "8000", client="1.2.3.4", at=at("2010-03-02 09:00"))
    with pytest.raises(LookupFailed) as wrong:
        lookup_case(case.case_no, "0000", client="1.2.3.4", at=at("2010-03-02 09:00"))
    assert unknown.value.as_dict() == wrong.value.as_dict()


def test_rating_from_the_lookup_opens_the_rectification(hall):
    case = hall.accepted(hall.spot, applicant_phone="13800138000")
    engine.complete_on_the_spot(case, at=at("2010-03-01 09:30"), actor=hall.clerk)
    with pytest.raises(LookupFailed):
        rate_by_lookup(case.case_no, "0000", score=2, client="1.2.3.4", at=at("2010-03-01 10:00"))
    rating = rate_by_lookup(case.case_no, "8000", score=2, comment="解释不清", client="1.2.3.4",
                            at=at("2010-03-01 10:00"))
    assert Rectification.objects.get().rating == rating
    view = lookup_case(case.case_no, "8000", client="1.2.3.4", at=at("2010-03-01 11:00"))
    assert view["can_rate"] is False and view["timeline"][-1]["label"] == "评价"
