from datetime import date, datetime
from io import StringIO

import pytest

from yizhan.calendar.workdays import local_tz
from yizhan.identifiers import resident_id_check_char
from yizhan.org.models import OrgUnit, Role, StaffRole
from yizhan.org.units_csv import import_units

NETWORK = """code,name,parent_code,kind
CDC,开平市疾病预防控制中心,,cdc
T01,赤坎镇卫生院,CDC,township
T02,水口镇卫生院,CDC,township
V0101,赤坎镇红星村卫生站,T01,village
V0102,赤坎镇东郊村卫生站,T01,village
V0201,水口镇龙塘村卫生站,T02,village
"""


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=local_tz())


def resident_id(born: date, serial: str = "123") -> str:
    first17 = f"440783{born:%Y%m%d}{serial}"
    return first17 + resident_id_check_char(first17)


def card(**overrides):
    data = {
        "name": "张三", "sex": "M", "id_number": resident_id(date(1980, 5, 1)), "birth_date": "1980-05-01",
        "residence": "county", "address": "开平市赤坎镇红星村 12 号", "occupation": "farmer",
        "classification": "confirmed", "disease": "A03", "subtype": "细菌性痢疾", "onset_date": "2024-03-01",
        "diagnosed_at": "2024-03-02T10:00", "reported_at": "2024-03-02T15:00", "doctor": "李医生",
    }
    data.update(overrides)
    return data


@pytest.fixture
def network(db):
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
