"""The register of party members, imported from a CSV of the organisation department:
`member_no,name,unit_code,joined_on[,phone,email]`. Every broken row is reported with its line and
field and nothing is written; members are matched by number (new ones created, others updated)."""

from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.anniversaries.models import PartyMember
from yizhan.audit.log import build, record_many
from yizhan.csvrows import ImportResult, Rows
from yizhan.errors import InvalidInput
from yizhan.identifiers import validate_phone
from yizhan.org.models import OrgUnit, Role
from yizhan.org.scope import units as scope_units
from yizhan.textlimits import field_limit

COLUMNS = ["member_no", "name", "unit_code", "joined_on"]
OPTIONAL = ["phone", "email"]
FIRST_JOINED = date(1921, 7, 1)


def import_members(stream: IO[str] | IO[bytes], *, units: Any = None, actor: Any = None,
                   actor_label: str = "import-members") -> ImportResult:
    """`units`: the units the importer may place members in (default: any); a person (`actor`) places
    them only in the units where they are the welfare officer."""
    rows = Rows(stream, COLUMNS, OPTIONAL, codes=("member_no", "unit_code", "joined_on", "phone"))
    allowed = OrgUnit.objects.all() if units is None else units
    if actor is not None:
        allowed = allowed.filter(pk__in=scope_units(actor, (Role.WELFARE_OFFICER,)).values("pk"))
    today = timezone.localdate()
    parsed: list[tuple[int, dict[str, Any], str]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        number = rows.required(line, row, "member_no")
        rows.text(line, row, "member_no", field_limit(PartyMember, "member_no"))
        rows.seen_once(line, "member_no", number, seen)
        rows.required(line, row, "name")
        rows.text(line, row, "name", field_limit(PartyMember, "name"))
        code = rows.required(line, row, "unit_code")
        joined = None
        try:
            joined = date.fromisoformat(row.get("joined_on", ""))
        except ValueError:
            rows.error(line, "joined_on", _("日期应写作 YYYY-MM-DD：%(v)s") % {"v": row.get("joined_on", "")[:40]})
        if joined is not None and not FIRST_JOINED <= joined <= today:
            rows.error(line, "joined_on", _("入党日期须在 1921-07-01 至今天之间：%(v)s") % {"v": joined.isoformat()})
        phone = ""
        try:
            phone = validate_phone(row.get("phone", ""), field="phone")
        except InvalidInput as exc:
            rows.error(line, "phone", exc.message)
        email = row.get("email", "")
        if email:
            rows.text(line, row, "email", field_limit(PartyMember, "email"))
            try:
                validate_email(email)
            except ValidationError:
                rows.error(line, "email", _("电子邮箱格式不正确：%(v)s") % {"v": email[:60]})
        parsed.append((line, {"member_no": number, "name": row.get("name", ""), "joined_on": joined,
                              "phone": phone, "email": email}, code))
    known = {u.code: u for u in allowed.filter(code__in={code for _l, _f, code in parsed})}
    for line, _fields, code in parsed:
        if code and code not in known:
            rows.error(line, "unit_code", _("单位不存在或不在您的管理范围内：%(v)s") % {"v": code})
    rows.raise_if_any()

    created = updated = 0
    at = timezone.now()
    with transaction.atomic():
        existing = {m.member_no: m for m in PartyMember.objects.filter(member_no__in=set(seen))}
        events = []
        for _line, fields, code in parsed:
            member = existing.get(fields["member_no"])
            is_new = member is None
            member = member or PartyMember(member_no=fields["member_no"])
            for name, value in fields.items():
                setattr(member, name, value)
            member.unit = known[code]
            member.save()
            created, updated = created + is_new, updated + (not is_new)
            events.append(build("anniversaries.member.imported", member, actor=actor, actor_label=actor_label,
                                at=at, created=is_new, unit=code, joined_on=member.joined_on))
        record_many(events)
    return ImportResult(created, updated)
