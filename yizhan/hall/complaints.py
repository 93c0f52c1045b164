"""Complaints (投诉): about a case or a window; a hall supervisor finds each valid or invalid and
replies (件件有回复). Valid complaints are the figure the hall reports."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import end_of_day, local_tz
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.models import Case, Complaint, Finding
from yizhan.hall.service import audit, locked, require_text, resolve_at
from yizhan.identifiers import validate_phone
from yizhan.org.models import OrgUnit, Role, UnitKind
from yizhan.org.roles import has_role


def file_complaint(
    *, content: str, complainant: str, phone: str = "", case: Case | None = None, window: OrgUnit | None = None,
    at: datetime | None = None, actor: Any = None, actor_label: str = "",
) -> Complaint:
    """Register a complaint about `case` (its window is the one complained about) or about `window`."""
    at = resolve_at(at)
    content = require_text(content, "content", _("须填写投诉内容"))
    complainant = require_text(complainant, "complainant", _("须填写投诉人"))
    phone = validate_phone(phone, field="phone")
    if case is not None:
        window = case.window
    if window is None or window.kind != UnitKind.WINDOW:
        raise InvalidInput(_("投诉须针对一个办件或一个窗口"), field="window", rule="complaint_target")
    with transaction.atomic():
        complaint = Complaint.objects.create(case=case, window=window, department_id=window.parent_id,
                                             complainant=complainant, phone=phone, content=content,
                                             received_at=at)
        audit("hall.complaint.filed", complaint, actor=actor, actor_label=actor_label, at=at,
              case=case.case_no if case else None, window=window.code)
    return complaint


def reply_complaint(complaint: Complaint, *, finding: str, reply: str, by: Any,
                    at: datetime | None = None) -> Complaint:
    """A hall supervisor over the window finds the complaint valid or invalid and replies. Once only."""
    at = resolve_at(at)
    if finding not in Finding.values:
        raise InvalidInput(_("认定结果须为 valid 或 invalid"), field="finding", rule="choice")
    reply = require_text(reply, "reply", _("须填写答复内容"))
    with transaction.atomic():
        complaint = locked(complaint, "window")
        if complaint.replied_at is not None:
            raise IllegalTransition(_("该投诉已答复"), field="state", rule="complaint_answered")
        if not has_role(by, Role.HALL_SUPERVISOR, complaint.window):
            raise NotPermitted(_("只有大厅督查可以认定和答复投诉"), field="by", rule="supervisor_role")
        complaint.finding, complaint.reply, complaint.replied_at, complaint.replied_by = finding, reply, at, by
        complaint.save(update_fields=["finding", "reply", "replied_at", "replied_by"])
        audit("hall.complaint.replied", complaint, actor=by, actor_label="", at=at, finding=finding)
    return complaint


def valid_complaints(start: date, end: date, unit: OrgUnit | None = None) -> int:
    """Valid complaints received in [start, end] (inclusive local dates), within `unit`'s subtree."""
    tz = local_tz()
    begin = datetime(start.year, start.month, start.day, tzinfo=tz)
    qs = Complaint.objects.filter(finding=Finding.VALID, received_at__gte=begin, received_at__lte=end_of_day(end))
    if unit is not None:
        qs = qs.filter(Q(window__path__startswith=unit.path))
    return qs.count()
