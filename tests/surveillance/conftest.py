"""A county's reporting network in small, imported as the units CSV a CDC starts from: the CDC, the
township health centers T01 (赤坎) and T02 (水口), village clinics V0101 and V0102 under T01 and V0201
under T02. People (`people`): reporters at clinics V0101 (clinic) and V0201 (clinic2) and at T01
(township), and the CDC's epidemiologist (epi); everyone's password is `pw-<username>`."""

from datetime import date
from io import StringIO

import pytest

from tests.factories import World
from yizhan.demo import fake
from yizhan.org.models import OrgUnit, Role
from yizhan.org.units_csv import import_units

NETWORK = """code,name,parent_code,kind
CDC,开平市疾病预防控制中心,,cdc
T01,赤坎镇卫生院,CDC,township
T02,水口镇卫生院,CDC,township
V0101,赤坎镇红星村卫生站,T01,village
V0102,赤坎镇东郊村卫生站,T01,village
V0201,水口镇龙塘村卫生站,T02,village
"""


def resident_id(born: date, serial: int = 123) -> str:
    """The ID number of someone registered in Kaiping (440783)."""
    return fake.resident_id("440783", born, serial)


def card(**overrides):
    data = {
        "name": "张三", "sex": "M", "id_number": resident_id(date(1980, 5, 1)), "birth_date": "1980-05-01",
        "residence": "county", "address": "开平市赤坎镇红星村 12 号", "occupation": "farmer",
        "classification": "confirmed", "disease": "A03", "subtype": "细菌性痢疾", "onset_date": "2024-03-01",
        "diagnosed_at": "2024-03-02T10:00", "reported_at": "2024-03-02T15:00", "doctor": "李医生",
    }
    data.update(overrides)
    return data


class Network(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        import_units(StringIO(NETWORK))
        self.units = {u.code: u for u in OrgUnit.objects.all()}

    def reporter(self, username: str, unit: str, role: str = Role.REPORTER, email: str = ""):
        return self.staff(username, role, self.units[unit], email=email or f"{username}@example.org")

    def people(self) -> dict:
        return {
            "clinic": self.reporter("clinic", "V0101"),
            "clinic2": self.reporter("clinic2", "V0201"),
            "township": self.reporter("township", "T01"),
            "epi": self.reporter("epi", "CDC", Role.EPIDEMIOLOGIST, "epi@cdc.example.org"),
        }


@pytest.fixture
def surveillance(db, django_user_model) -> Network:
    return Network(django_user_model)


@pytest.fixture
def network(surveillance) -> dict[str, OrgUnit]:
    return surveillance.units


@pytest.fixture
def people(surveillance) -> dict:
    return surveillance.people()
