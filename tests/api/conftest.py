"""A small hall for the API's tests: center C; department D1 with windows W11 and W12, department D2
with window W21. Staff: clerk (W11), clerk21 (W21), head (department head of D1), supervisor (hall
supervisor over C). Matters: LIC (promised 5 / statutory 20 working days, green channel 2; materials
申请书 and 营业执照 mandatory, 授权委托书 conditional), SPOT (on the spot), BUILD (D2, no green channel)."""

import collections
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from yizhan.api.tokens import create_token
from yizhan.hall.models import Material, MaterialRequirement, Matter, MatterKind
from yizhan.identifiers import resident_id_check_char
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

TZ = ZoneInfo("Asia/Shanghai")
VALID_ID = "11010519491231002" + resident_id_check_char("11010519491231002")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


class ApiClient:
    """A client that calls the API with a bearer token and decodes JSON."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(path, json.dumps(body or {}), content_type="application/json", headers=self.headers)


class Hall:
    def __init__(self, users) -> None:
        self.center = OrgUnit.objects.create(code="C", name="开平市行政服务中心", kind=UnitKind.CENTER)
        self.d1 = OrgUnit.objects.create(code="D1", name="市市场监督管理局", kind=UnitKind.DEPARTMENT, parent=self.center)
        self.d2 = OrgUnit.objects.create(code="D2", name="市住房和城乡建设局", kind=UnitKind.DEPARTMENT,
                                         parent=self.center)
        self.w11 = OrgUnit.objects.create(code="W11", name="市场监管一号窗口", kind=UnitKind.WINDOW, parent=self.d1)
        self.w12 = OrgUnit.objects.create(code="W12", name="市场监管二号窗口", kind=UnitKind.WINDOW, parent=self.d1)
        self.w21 = OrgUnit.objects.create(code="W21", name="住建窗口", kind=UnitKind.WINDOW, parent=self.d2)
        self.clerk = users.objects.create_user("clerk", password="pw-clerk-123")
        self.clerk21 = users.objects.create_user("clerk21", password="pw-clerk-123")
        self.head = users.objects.create_user("head", password="pw-head-123")
        self.supervisor = users.objects.create_user("supervisor", password="pw-super-123")
        self.outsider = users.objects.create_user("outsider", password="pw-out-123")
        StaffRole.objects.create(user=self.clerk, role=Role.CLERK, unit=self.w11)
        StaffRole.objects.create(user=self.clerk21, role=Role.CLERK, unit=self.w21)
        StaffRole.objects.create(user=self.head, role=Role.DEPARTMENT_HEAD, unit=self.d1)
        StaffRole.objects.create(user=self.supervisor, role=Role.HALL_SUPERVISOR, unit=self.center)
        self.lic = Matter.objects.create(code="LIC", name="食品经营许可", department=self.d1, kind=MatterKind.PROMISED,
                                         statutory_days=20, promised_days=5, green_channel=True, green_channel_days=2,
                                         legal_basis="《食品安全法》第三十五条")
        self.lic.windows.add(self.w11)
        self.a = Material.objects.create(matter=self.lic, name="申请书", sort=1)
        self.b = Material.objects.create(matter=self.lic, name="营业执照", form="copy", copies=2, sort=2)
        self.c = Material.objects.create(matter=self.lic, name="授权委托书",
                                         requirement=MaterialRequirement.CONDITIONAL, condition="委托他人办理的", sort=3)
        self.spot = Matter.objects.create(code="SPOT", name="个体户名称变更", department=self.d1,
                                          kind=MatterKind.ON_THE_SPOT, statutory_days=5, promised_days=0)
        self.build = Matter.objects.create(code="BUILD", name="建筑施工许可", department=self.d2,
                                           kind=MatterKind.PROMISED, statutory_days=15, promised_days=10)
        self._clients: dict[str, ApiClient] = {}

    def api(self, user) -> ApiClient:
        """A client authenticated with a fresh token of `user`."""
        if user.username not in self._clients:
            _token, key = create_token(user, "tests")
            self._clients[user.username] = ApiClient(key)
        return self._clients[user.username]

    def receive(self, matter=None, window=None, *, when: str | None = None, actor=None, **kwargs):
        """A case received through the engine directly (for set-ups in the past)."""
        from yizhan.hall.cases import receive_case

        kwargs.setdefault("applicant_name", "张三")
        return receive_case(matter=matter or self.lic, window=window or self.w11,
                            at=at(when) if when else None, actor=actor or self.clerk, **kwargs)


@pytest.fixture
def hall(db, django_user_model) -> Hall:
    return Hall(django_user_model)


@pytest.fixture
def anon() -> ApiClient:
    return ApiClient(None)


def only_error(response, status: int) -> dict:
    """The single error of an error response, after checking the status and the envelope's shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert {"field", "rule", "message"} <= set(error)
    assert error["message"]
    return error


_TALLY: collections.Counter = collections.Counter()


@pytest.fixture
def schemathesis_tally() -> collections.Counter:
    """Examples run per operation by tests/api/test_schemathesis.py, printed at the end of the run."""
    return _TALLY


def pytest_terminal_summary(terminalreporter) -> None:
    if _TALLY:
        errors = _TALLY.get("server errors", 0)
        operations = {k: v for k, v in _TALLY.items() if k != "server errors"}
        terminalreporter.write_line(json.dumps({"schemathesis_operations": len(operations),
                                                "schemathesis_examples": sum(operations.values()),
                                                "schemathesis_server_errors": errors}))
