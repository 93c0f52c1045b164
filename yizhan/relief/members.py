"""The fund's member registry: staff of the company, by resident ID (validated) and staff number."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.clock.moments import resolve_at
from yizhan.errors import InvalidInput
from yizhan.identifiers import normalize, validate_resident_id
from yizhan.org.scope import require_covers
from yizhan.relief.models import INTAKE, Fund, Member
from yizhan.textlimits import field_limit


def register(fund: Fund, *, resident_id: str, staff_no: str, name: str, department: str = "",
             at: datetime | None = None, actor: Any = None, actor_label: str = "") -> Member:
    """Create or update the member with `resident_id`."""
    at = resolve_at(at)
    require_covers(actor, INTAKE, fund.company, field="fund", message=_("您不负责该救助基金"))
    resident_id = validate_resident_id(resident_id, field="resident_id")
    staff_no = normalize(staff_no, field="staff_no")
    values = {"staff_no": staff_no, "name": (name or "").strip(), "department": (department or "").strip()}
    for field, value in values.items():
        if field != "department" and not value:
            raise InvalidInput(_("不能为空"), field=field, rule="required")
        if len(value) > field_limit(Member, field):
            raise InvalidInput(_("不能超过 %(n)d 个字符") % {"n": field_limit(Member, field)}, field=field,
                               rule="max_length")
    if fund.members.filter(staff_no=staff_no).exclude(resident_id=resident_id).exists():
        raise InvalidInput(_("工号 %(s)s 已属于另一名会员") % {"s": staff_no}, field="staff_no", rule="duplicate")
    with transaction.atomic():
        member, created = Member.objects.update_or_create(fund=fund, resident_id=resident_id, defaults=values)
        record("relief.member.registered", member, actor=actor, actor_label=actor_label, at=at, created=created,
               fund=fund.code, staff_no=staff_no)
    return member
