"""A county's reporting network in small, imported as the units CSV a CDC starts from: the CDC, the
township health centers T01 (赤坎) and T02 (水口), village clinics V0101 and V0102 under T01 and V0201
under T02. People (`people`): reporters at clinics V0101 (clinic) and V0201 (clinic2) and at T01
(township), and the CDC's epidemiologist (epi); everyone's password is `pw-<username>`."""

from datetime import date, datetime
from io import StringIO

import pytest

from tests.factories import World, at
from yizhan.demo import fake
from yizhan.divisions.loader import import_local
from yizhan.org.models import OrgUnit, Role
from yizhan.org.units_csv import import_units
from yizhan.surveillance.cards import report_card

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


def resident_id(born: date, serial: int = 123) -> str:
    """The ID number of someone registered in Kaiping (440783)."""
    return fake.resident_id("440783", born, serial)


# When the card of `card()` reaches Yizhan (the server's clock in these tests).
REPORTED = "2024-03-02 15:00"


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


class Network(World):
    def __init__(self, users) -> None:
        super().__init__(users)
        import_local(StringIO(DIVISIONS))
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


def report(data: dict, *, unit, at_time: datetime | None = None, **kwargs):
    """Report `data` as the clinic's card reaching Yizhan at its `reported_at` (default REPORTED): the
    server's clock in these tests, which no card field can set."""
    data = dict(data)
    moment = data.pop("reported_at", "") or None
    when = kwargs.pop("at", None) or at_time or at(moment.replace("T", " ") if moment else REPORTED)
    return report_card(data, unit=unit, at=when, **kwargs)
