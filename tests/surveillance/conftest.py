from datetime import date, datetime
from io import StringIO

import pytest

from yizhan.calendar.workdays import local_tz
from yizhan.divisions.loader import import_local
from yizhan.identifiers import resident_id_check_char
from yizhan.org.models import OrgUnit, Role, StaffRole
from yizhan.org.units_csv import import_units

# Kaiping (GB/T 2260 440783) and, from the local list, two of its towns and their villages.
DIVISIONS = """code,name,parent_code,level
440783107,赤坎镇,440783,township
440783105,水口镇,440783,township
440783107201,红星村,440783107,village
440783107202,东郊村,440783107,village
440783105201,龙塘村,440783105,village
"""
NETWORK = """code,name,parent_code,kind,division
CDC,开平市疾病预防控制中心,,cdc,440783
T01,赤坎镇卫生院,CDC,township,440783107
T02,水口镇卫生院,CDC,township,440783105
V0101,赤坎镇红星村卫生站,T01,village,440783107201
V0102,赤坎镇东郊村卫生站,T01,village,440783107202
V0201,水口镇龙塘村卫生站,T02,village,440783105201
"""
HONGXING, LONGTANG = "440783107201", "440783105201"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=local_tz())


def resident_id(born: date, serial: str = "123") -> str:
    first17 = f"440783{born:%Y%m%d}{serial}"
    return first17 + resident_id_check_char(first17)


# When the card of `card()` reaches Yizhan (the server's clock in these tests).
REPORTED = (2024, 3, 2, 15)


def card(**overrides):
    data = {
        "name": "张三", "sex": "M", "id_number": resident_id(date(1980, 5, 1)), "birth_date": "1980-05-01",
        "address_division": HONGXING, "house_number": "12 号", "occupation": "farmer",
        "classification": "confirmed", "disease": "A03", "subtype": "细菌性痢疾", "onset_date": "2024-03-01",
        "diagnosed_at": "2024-03-02T10:00", "doctor": "李医生", "doctor_phone": "13902221234",
        "filled_on": "2024-03-02",
    }
    if "diagnosed_at" in overrides and "filled_on" not in overrides:
        data["filled_on"] = str(overrides["diagnosed_at"])[:10]
    if overrides.get("id_number") and "birth_date" not in overrides:
        data["birth_date"] = ""  # read from the ID number
    data.update(overrides)
    return data


@pytest.fixture
def network(db):
    import_local(StringIO(DIVISIONS))
    import_units(StringIO(NETWORK))
    return {u.code: u for u in OrgUnit.objects.all()}


def staff(django_user_model, username: str, role: str, unit: OrgUnit, email: str = ""):
    user = django_user_model.objects.create_user(username, email or f"{username}@example.org", "pw")
    StaffRole.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def people(network, django_user_model):
    return {
        "clinic": staff(django_user_model, "clinic", Role.REPORTER, network["V0101"]),
        "clinic2": staff(django_user_model, "clinic2", Role.REPORTER, network["V0201"]),
        "township": staff(django_user_model, "township", Role.REPORTER, network["T01"]),
        "epi": staff(django_user_model, "epi", Role.EPIDEMIOLOGIST, network["CDC"], "epi@cdc.example.org"),
    }


def report(data: dict, *, unit, at_time: datetime | None = None, **kwargs):
    """Report `data` as the clinic's card reaching Yizhan at its `reported_at` (default REPORTED): the
    server's clock in these tests, which no card field can set."""
    from yizhan.surveillance.cards import report_card

    data = dict(data)
    moment = data.pop("reported_at", "") or None
    when = kwargs.pop("at", None) or at_time or (
        datetime.fromisoformat(moment).replace(tzinfo=local_tz()) if moment else at(*REPORTED))
    return report_card(data, unit=unit, at=when, **kwargs)
