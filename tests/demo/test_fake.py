"""The demo's and the tests' made-up people and firms pass the checks real ones must pass, and the
same seed makes the same people."""

import random
from datetime import date

from yizhan.demo import fake
from yizhan.identifiers import validate_phone, validate_resident_id, validate_uscc


def draw(seed: int) -> list[tuple[str, str, str, str, str]]:
    rng = random.Random(seed)
    return [(fake.person_name(rng), fake.random_resident_id(rng, "440783", fake.birth_date(rng, date(1940, 1, 1), 60)),
             fake.phone(rng), fake.firm_name(rng), fake.random_uscc(rng, "440783")) for _n in range(300)]


def test_made_up_ids_phones_and_credit_codes_pass_the_national_checks():
    for name, resident_id, phone, firm, uscc in draw(1):
        assert 2 <= len(name) <= 4 and firm.startswith("开平市") and firm.endswith("公司")
        assert validate_resident_id(resident_id) == resident_id and resident_id[6:14] < "20000101"
        assert validate_phone(phone, field="phone") == phone
        assert validate_uscc(uscc) == uscc and uscc[2:8] == "440783"


def test_the_organisation_code_inside_a_credit_code_carries_its_own_check_character():
    assert fake.organisation_code("D2143569") == "D2143569X"  # 11 - (199 mod 11) = 10, written X
    assert fake.organisation_code("12345678") == "123456788"
    for *_rest, uscc in draw(2):
        assert fake.organisation_code(uscc[8:16]) == uscc[8:17]


def test_a_resident_id_is_built_from_region_birth_date_and_sequence():
    assert fake.resident_id("110105", date(1949, 12, 31), 2) == "11010519491231002X"


def test_the_same_seed_makes_the_same_people():
    assert draw(7) == draw(7) and draw(7) != draw(8)
