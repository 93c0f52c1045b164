"""Importing staff and their roles from a file (a new center's set-up, a legacy system's migration):
`username,name,role,unit_code,badge_no,phone,email`, one row per role held (a person with two roles
has two rows that agree on name, badge number, phone and email). Users are matched by username: new
ones are created without a usable password (they set one through the administrator), existing ones
updated; roles are added, never removed. Any broken row is reported with its line and field, and
nothing is written."""

from datetime import datetime
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.audit.log import build, record_many
from yizhan.csvrows import ImportResult, Rows
from yizhan.hall.models import StaffProfile
from yizhan.hall.service import resolve_at
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind
from yizhan.org.scope import require_holds

COLUMNS = ["username", "name", "role", "unit_code", "badge_no", "phone", "email"]
REQUIRED = ["username", "name", "role", "unit_code"]
PERSONAL = ("name", "badge_no", "phone", "email")
# Where each role may be held: a clerk works at a window (or across a department's windows), a head
# over a department, a supervisor over the center; doctors at the surveillance units.
ROLE_UNITS: dict[str, Any] = {
    Role.CLERK: {UnitKind.WINDOW, UnitKind.DEPARTMENT},
    Role.DEPARTMENT_HEAD: {UnitKind.DEPARTMENT},
    Role.HALL_SUPERVISOR: {UnitKind.CENTER, UnitKind.DEPARTMENT},
    Role.ADMINISTRATOR: set(UnitKind.values),
    Role.REPORTER: {UnitKind.VILLAGE, UnitKind.TOWNSHIP, UnitKind.CDC},
    Role.EPIDEMIOLOGIST: {UnitKind.CDC, UnitKind.TOWNSHIP},
}
PHONE_CHARS = set("0123456789-+ ")


def _check_row(rows: Rows, line: int, row: dict[str, str], units: dict[str, OrgUnit]) -> None:
    for field in REQUIRED:
        rows.required(line, row, field)
    if row["username"]:
        try:
            UnicodeUsernameValidator()(row["username"])
        except ValidationError:
            rows.error(line, "username", _("用户名只能包含字母、数字和 @.+-_：%(v)s") % {"v": row["username"]})
    role, code = row["role"], row["unit_code"]
    if role and role not in Role.values:
        rows.error(line, "role", _("角色须为 %(roles)s 之一：%(v)s") % {"roles": ", ".join(Role.values), "v": role})
    unit = units.get(code)
    if code and unit is None:
        rows.error(line, "unit_code", _("机构不存在：%(v)s") % {"v": code})
    elif unit is not None and role in Role.values and unit.kind not in ROLE_UNITS[Role(role)]:
        rows.error(line, "unit_code", _("%(role)s 不能设在%(kind)s：%(v)s") % {
            "role": Role(role).label, "kind": UnitKind(unit.kind).label, "v": code})
    if row.get("phone") and (set(row["phone"]) - PHONE_CHARS or sum(c.isdigit() for c in row["phone"]) < 7):
        rows.error(line, "phone", _("联系电话无效：%(v)s") % {"v": row["phone"]})
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            rows.error(line, "email", _("电子邮箱无效：%(v)s") % {"v": row["email"]})


def import_staff(stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
                 actor_label: str = "import-staff") -> ImportResult:
    """Validate every row (ImportFailed lists every broken field, nothing written), then write the
    users, their hall profiles (badge numbers) and roles in one transaction, one audit event per user.
    Who holds which role is the administrators' to change."""
    require_holds(actor, ())
    at = resolve_at(at)
    rows = Rows(stream, REQUIRED, [c for c in COLUMNS if c not in REQUIRED])
    parsed = list(rows)
    codes = {row.get("unit_code", "") for _line, row in parsed}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    people: dict[str, tuple[int, dict[str, str]]] = {}
    badges: dict[str, str] = {}
    seen_roles: dict[str, int] = {}
    for line, row in parsed:
        _check_row(rows, line, row, units)
        username = row["username"]
        first = people.setdefault(username, (line, row))
        for field in PERSONAL:
            if first[0] != line and row.get(field, "") != first[1].get(field, ""):
                rows.error(line, field, _("与第 %(first)d 行同一用户的值不一致") % {"first": first[0]})
        rows.seen_once(line, "role", f"{username}/{row['role']}/{row['unit_code']}", seen_roles)
        badge = row.get("badge_no", "")
        if badge and badges.setdefault(badge, username) != username:
            rows.error(line, "badge_no", _("工号 %(v)s 已分配给 %(u)s") % {"v": badge, "u": badges[badge]})
    users = get_user_model().objects
    taken = dict(StaffProfile.objects.filter(badge_no__in=badges).values_list("badge_no", "user__username"))
    for line, row in parsed:
        badge = row.get("badge_no", "")
        if badge and taken.get(badge, row["username"]) != row["username"]:
            rows.error(line, "badge_no", _("工号 %(v)s 已分配给 %(u)s") % {"v": badge, "u": taken[badge]})
    rows.raise_if_any()

    created = updated = 0
    events = []
    with transaction.atomic():
        for username, (_line, row) in people.items():
            user, is_new = users.get_or_create(username=username)
            if is_new:
                user.set_unusable_password()
            user.first_name = row["name"][:150]
            if row.get("email"):
                user.email = row["email"]
            user.save()
            profile_fields = {"name": row["name"], "phone": row.get("phone", ""), "unit": units[row["unit_code"]]}
            profile = StaffProfile.objects.filter(user=user).first()
            if row.get("badge_no"):
                profile_fields["badge_no"] = row["badge_no"]
            if profile is not None or row.get("badge_no"):
                StaffProfile.objects.update_or_create(user=user, defaults=profile_fields)
            roles = [(r["role"], units[r["unit_code"]]) for _l, r in parsed if r["username"] == username]
            for role, unit in roles:
                StaffRole.objects.get_or_create(user=user, role=role, unit=unit)
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("org.staff.imported", user, actor=actor, actor_label=actor_label, at=at,
                                created=is_new, name=row["name"], badge_no=row.get("badge_no") or None,
                                roles=[f"{role}@{unit.code}" for role, unit in roles]))
        record_many(events)
    return ImportResult(created, updated)
