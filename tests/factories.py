"""Test worlds and users shared by every test package.

`Hall` is one small hall on the 2010 calendar (March 2010 has no holidays; 1 March is a Monday):

- units: center C; department D1 (windows W11, W12) and department D2 (window W21);
- staff: clerk (clerk at W11), clerk2 (clerk over D1), clerk21 (clerk at W21), head (department head
  of D1), head2 (department head of D2), supervisor (hall supervisor over C), outsider (no role);
  every one's password is `pw-<username>`;
- matters: LIC (D1, accepted at W11; promised 5 / statutory 20 working days, green channel 2;
  materials 申请书 and 营业执照 mandatory, 授权委托书 conditional), SPOT (D1, on the spot) and BUILD
  (D2, promised 10 / statutory 15, no green channel).
"""

import json
from datetime import date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.test import Client

from yizhan.clock.models import PauseReason
from yizhan.demo import fake
from yizhan.hall import cases
from yizhan.hall.complaints import file_complaint, reply_complaint
from yizhan.hall.consultations import open_consultation
from yizhan.hall.models import Case, Material, MaterialRequirement, Matter, MatterKind
from yizhan.hall.pauses import pause_case, resume_case
from yizhan.hall.refusals import confirm_refusal, request_refusal
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

TZ = ZoneInfo("Asia/Shanghai")
VALID_ID = fake.resident_id("110105", date(1949, 12, 31), 2)  # 11010519491231002X
# The moment a case is received when a test names none (the engine's tests live in March 2010).
MARCH_2010 = "2010-03-01 09:00"


def at(text: str) -> datetime:
    """A local moment: at("2010-03-01 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def password(username: str) -> str:
    return f"pw-{username}"


class ApiClient:
    """A client that calls the API with a bearer token (or none) and sends JSON."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(path, json.dumps(body or {}), content_type="application/json", headers=self.headers)


def only_error(response, status: int) -> dict:
    """The single error of an error response, after checking the status and the envelope's shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"errors"}
    [error] = body["errors"]
    assert {"field", "rule", "message"} <= set(error)
    assert error["message"]
    return error


class World:
    """Units, people and API clients for any test world; `Hall` and the smaller systems' worlds
    build on it. Every person's password is `pw-<username>`."""

    def __init__(self, users) -> None:
        self.users = users
        self._clients: dict[str, ApiClient] = {}

    # --- building blocks, also for tests that need one more unit or person ---

    def unit(self, code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
        return OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)

    def user(self, username: str, **extra):
        return self.users.objects.create_user(username, password=password(username), **extra)

    def staff(self, username: str, role: str, unit: OrgUnit, **extra):
        """A user holding `role` over `unit`'s subtree."""
        person = self.user(username, **extra)
        StaffRole.objects.create(user=person, role=role, unit=unit)
        return person

    def grant(self, user, *permissions: str):
        """Make `user` admin staff holding `permissions` ("hall.view_case", …); returns it fresh."""
        from django.contrib.auth.models import Permission

        user.is_staff = True
        user.save(update_fields=["is_staff"])
        for name in permissions:
            app_label, codename = name.split(".")
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return self.users.objects.get(pk=user.pk)

    # --- clients ---

    def api(self, user) -> ApiClient:
        """An API client authenticated with a fresh token of `user` (one per user)."""
        from yizhan.api.tokens import create_token

        if user.username not in self._clients:
            _token, key = create_token(user, "tests")
            self._clients[user.username] = ApiClient(key)
        return self._clients[user.username]


class Hall(World):
    """The small hall described in the module docstring.

    `received_at` is when `receive()` receives a case that names no moment: March 2010 for the
    engine's tests, None (now) for tests that go through the API's clock."""

    def __init__(self, users, *, received_at: str | None = MARCH_2010) -> None:
        super().__init__(users)
        self.received_at = received_at
        self.center = OrgUnit.objects.create(code="C", name="开平市行政服务中心", kind=UnitKind.CENTER)
        self.d1 = self.unit("D1", "市市场监督管理局", UnitKind.DEPARTMENT, self.center)
        self.d2 = self.unit("D2", "市住房和城乡建设局", UnitKind.DEPARTMENT, self.center)
        self.w11 = self.unit("W11", "市场监管一号窗口", UnitKind.WINDOW, self.d1)
        self.w12 = self.unit("W12", "市场监管二号窗口", UnitKind.WINDOW, self.d1)
        self.w21 = self.unit("W21", "住建窗口", UnitKind.WINDOW, self.d2)
        self.clerk = self.staff("clerk", Role.CLERK, self.w11)
        self.clerk2 = self.staff("clerk2", Role.CLERK, self.d1)
        self.clerk21 = self.staff("clerk21", Role.CLERK, self.w21)
        self.head = self.staff("head", Role.DEPARTMENT_HEAD, self.d1)
        self.head2 = self.staff("head2", Role.DEPARTMENT_HEAD, self.d2)
        self.supervisor = self.staff("supervisor", Role.HALL_SUPERVISOR, self.center)
        self.outsider = self.user("outsider")
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

    # --- cases, driven through the engine directly ---

    def receive(self, matter: Matter | None = None, window: OrgUnit | None = None, when: str | None = None, *,
                actor=None, **kwargs) -> Case:
        """A case received at `when` (default: `received_at`) by `actor` (default: the W11 clerk)."""
        when = when or self.received_at
        kwargs.setdefault("applicant_name", "张三")
        return cases.receive_case(matter=matter or self.lic, window=window or self.w11, at=at(when) if when else None,
                            actor=actor or self.clerk, **kwargs)

    def accepted(self, matter: Matter | None = None, window: OrgUnit | None = None, when: str | None = None,
                 **kwargs) -> Case:
        """A case received and accepted at once, as at the counter."""
        return self.receive(matter, window, when, accept=True, **kwargs)


class HallWorld(World):
    """The figures' hall (tests of statistics, ranking and the legacy import): center C; department D1
    with windows W11, W12; department D2 with window W21.

    Matters: SPOT (D1, on the spot: promised 0, statutory 5), PROM (D1, promised 10, statutory 20,
    green channel 3), TWO (D2, promised 5, statutory 10). A clerk and a hall supervisor (for refusals
    and complaints)."""

    def __init__(self, users) -> None:
        super().__init__(users)
        self.center = self.unit("C", "行政服务中心", UnitKind.CENTER, None)
        self.d1 = self.unit("D1", "市场监管局", UnitKind.DEPARTMENT, self.center)
        self.d2 = self.unit("D2", "住建局", UnitKind.DEPARTMENT, self.center)
        self.w11 = self.unit("W11", "市场监管一号窗", UnitKind.WINDOW, self.d1)
        self.w12 = self.unit("W12", "市场监管二号窗", UnitKind.WINDOW, self.d1)
        self.w21 = self.unit("W21", "住建窗口", UnitKind.WINDOW, self.d2)
        self.spot = Matter.objects.create(code="SPOT", name="个体户名称变更", department=self.d1,
                                          kind=MatterKind.ON_THE_SPOT, statutory_days=5, promised_days=0)
        self.prom = Matter.objects.create(code="PROM", name="食品经营许可", department=self.d1,
                                          kind=MatterKind.PROMISED, statutory_days=20, promised_days=10,
                                          green_channel=True, green_channel_days=3)
        self.two = Matter.objects.create(code="TWO", name="施工许可", department=self.d2,
                                         kind=MatterKind.PROMISED, statutory_days=10, promised_days=5)
        self.clerk = self.staff("clerk", Role.CLERK, self.center)
        self.supervisor = self.staff("supervisor", Role.HALL_SUPERVISOR, self.center)
        self.seq = 0

    def case(
        self, matter: Matter, window: OrgUnit, *, received: str, accepted: str | None = None,
        completed: str | None = None, outcome: str = "approved", green: bool = False,
        pauses: tuple[tuple[str, str | None], ...] = (), case_no: str | None = None,
    ) -> Case:
        """Drive one case through the engine: received (and accepted at once, as at the counter, when
        `accepted` equals `received`), accepted, paused/resumed, then closed with `outcome` at
        `completed` (approved, refused, refused_to_accept, withdrawn) or left open."""
        self.seq += 1
        case = cases.receive_case(matter=matter, window=window, applicant_name="张三",
                                   case_no=case_no or f"T-{self.seq:05d}", green_project="翠山湖新区" if green else "",
                                   accept=accepted == received, at=at(received), actor=self.clerk)
        if outcome == "refused_to_accept":
            refusal = request_refusal(case, kind="refuse_to_accept", reason="不属于受理范围",
                                      legal_basis="《行政许可法》第三十二条", by=self.clerk, at=at(completed))
            confirm_refusal(refusal, by=self.supervisor, at=at(completed))
            return Case.objects.get(pk=case.pk)
        if accepted and accepted != received:
            case = cases.accept_case(case, at=at(accepted), actor=self.clerk)
        for start, end in pauses:
            case = pause_case(case, reason=PauseReason.EXPERT_REVIEW, at=at(start), actor=self.clerk)
            if end:
                case = resume_case(case, at=at(end), actor=self.clerk)
        if completed is None:
            return Case.objects.get(pk=case.pk)
        if outcome == "withdrawn":
            cases.withdraw_case(case, reason="申请人撤回", at=at(completed), actor=self.clerk)
            return Case.objects.get(pk=case.pk)
        if (matter.kind == MatterKind.ON_THE_SPOT and outcome == "approved"
                and at(completed).date() == at(accepted).date()):
            cases.complete_on_the_spot(case, at=at(completed), actor=self.clerk)
            return Case.objects.get(pk=case.pk)
        case = cases.start_review(case, at=at(accepted), actor=self.clerk)
        if outcome == "refused":
            refusal = request_refusal(case, kind="refuse_approval", reason="条件不符",
                                      legal_basis="《行政许可法》第三十八条", by=self.clerk, at=at(completed))
            confirm_refusal(refusal, by=self.supervisor, at=at(completed))
        else:
            case = cases.approve_case(case, at=at(completed), actor=self.clerk)
        cases.complete_case(Case.objects.get(pk=case.pk), at=at(completed), actor=self.clerk)
        return Case.objects.get(pk=case.pk)

    def consultation(self, window: OrgUnit, when: str) -> None:
        open_consultation(window=window, question="营业执照怎么办？", asker_name="李四", answer="请带身份证",
                          at=at(when), actor=self.clerk)

    def complaint(self, window: OrgUnit, when: str, finding: str) -> None:
        complaint = file_complaint(content="窗口态度差", complainant="王五", window=window, at=at(when))
        reply_complaint(complaint, finding=finding, reply="已核实处理", by=self.supervisor, at=at(when))


class _FormReader(HTMLParser):
    """The values a browser would submit from a page's first POST form (the admin's logout form aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = self.done = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post" and a.get("id") != "logout-form":
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_data(page, **changes) -> dict:
    """What submitting the page's form unchanged would post, with `changes` applied (None drops a
    field, as unticking a box does)."""
    reader = _FormReader()
    reader.feed(page.content.decode())
    data: dict = {k: (v if len(v) != 1 else v[0]) for k, v in reader.data.items()}
    data.pop("_continue", None)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
