"""Complaints (投诉) about a window, a staff member (by the badge number they wear) or a case.

A complaint is registered online by the complainant, or by hall staff who took it by phone, on the
hall's line or on a service-quality supervision hotline (服务质量监督热线, like the one of the seed's
catering company). Registration starts its limit on the shared clock (YIZHAN_COMPLAINT_DAYS working
days, 5 by default; accountable, against the department). The department head over the window or a
hall supervisor investigates and concludes it valid or not valid, with a reason and a reply to the
complainant (件件有回复). A complaint counts among the valid complaints (有效投诉) of the period in which
it was found valid, so the figure of a period that has ended never changes.

    registered ──investigate──▶ investigating ──conclude──▶ concluded
        └────────────────────────conclude──────────────────────▲"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import end_of_day, local_tz
from yizhan.clock.limits import Limit
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.accountability import record_item_breach
from yizhan.hall.models import Case, Complaint, ComplaintChannel, ComplaintState, Finding, StaffProfile
from yizhan.hall.service import audit, locked, require_text, resolve_at
from yizhan.identifiers import validate_phone
from yizhan.org.models import OrgUnit, UnitKind
from yizhan.org.scope import HALL_STAFF, HALL_SUPERVISION, covers

PURPOSE = "complaint"
# Taken by phone: a member of staff writes it down and is named as its registrar.
STAFF_CHANNELS = (ComplaintChannel.PHONE, ComplaintChannel.SUPERVISION_HOTLINE, ComplaintChannel.COUNTER)


def complaint_limit() -> Limit:
    return Limit.days(getattr(settings, "YIZHAN_COMPLAINT_DAYS", 5))


def staff_by_badge(badge_no: str) -> StaffProfile:
    staff = StaffProfile.objects.select_related("unit").filter(badge_no=badge_no.strip()).first()
    if staff is None:
        raise InvalidInput(_("工号 %(no)s 不存在") % {"no": badge_no.strip()}, field="badge_no", rule="unknown_badge")
    return staff


def _target(case: Case | None, window: OrgUnit | None, staff: StaffProfile | None) -> OrgUnit:
    """The window complained about: the case's, the one named, or the one the staff member works at."""
    if case is not None:
        return case.window
    if window is None and staff is not None and staff.unit is not None and staff.unit.kind == UnitKind.WINDOW:
        return staff.unit
    if window is None or window.kind != UnitKind.WINDOW:
        field = "badge_no" if staff is not None else "window"
        raise InvalidInput(_("投诉须针对一个办件、一个窗口或一名有工号的窗口人员"), field=field, rule="complaint_target")
    return window


def file_complaint(
    *, content: str, complainant: str, phone: str = "", case: Case | None = None, window: OrgUnit | None = None,
    badge_no: str = "", channel: str = ComplaintChannel.ONLINE, at: datetime | None = None, actor: Any = None,
    actor_label: str = "",
) -> Complaint:
    """Register a complaint and start its limit. A complaint taken by phone (`channel` phone, hotline
    or counter) is registered by hall staff (`actor`) over the window complained about."""
    at = resolve_at(at)
    content = require_text(content, "content", _("须填写投诉内容"))
    complainant = require_text(complainant, "complainant", _("须填写投诉人"))
    phone = validate_phone(phone, field="phone")
    if channel not in ComplaintChannel.values:
        raise InvalidInput(_("投诉渠道无效"), field="channel", rule="choice")
    staff = staff_by_badge(badge_no) if badge_no.strip() else None
    window = _target(case, window, staff)
    registered_by = actor if getattr(actor, "is_authenticated", False) else None
    if channel in STAFF_CHANNELS and actor_label == "" and not covers(registered_by, HALL_STAFF, window):
        raise NotPermitted(_("电话和现场投诉须由该窗口所属的大厅工作人员登记"), field="channel", rule="staff_registers")
    with transaction.atomic():
        complaint = Complaint.objects.create(case=case, window=window, department_id=window.parent_id, staff=staff,
                                             channel=channel, complainant=complainant, phone=phone,
                                             content=content, received_at=at, registered_by=registered_by)
        complaint.timer = start_timer(complaint, PURPOSE, complaint_limit(), at=at,
                                      responsible_unit=complaint.department, accountable=True)
        complaint.save(update_fields=["timer"])
        audit("hall.complaint.filed", complaint, actor=actor, actor_label=actor_label, at=at, channel=channel,
              case=case.case_no if case else None, window=window.code, badge_no=staff.badge_no if staff else None,
              deadline=complaint.timer.deadline)
    return complaint


def may_handle(user: Any, complaint: Complaint) -> bool:
    """The head of the window's department or a hall supervisor over it."""
    return covers(user, HALL_SUPERVISION, complaint.window)


def _require_handler(user: Any, complaint: Complaint) -> None:
    if not may_handle(user, complaint):
        raise NotPermitted(_("只有部门负责人或大厅督查可以调查和答复投诉"), field="by", rule="supervisor_role")


def investigate_complaint(complaint: Complaint, *, investigation: str, by: Any,
                          at: datetime | None = None) -> Complaint:
    """registered → investigating, with what was found so far (the limit keeps running)."""
    at = resolve_at(at)
    investigation = require_text(investigation, "investigation", _("须填写调查情况"))
    with transaction.atomic():
        complaint = locked(complaint, "window")
        _require_handler(by, complaint)
        if complaint.state != ComplaintState.REGISTERED:
            raise IllegalTransition(_("该投诉已在调查或已答复"), field="state", rule="complaint_not_registered")
        complaint.state, complaint.investigation, complaint.investigated_by = (
            ComplaintState.INVESTIGATING, investigation, by)
        complaint.save(update_fields=["state", "investigation", "investigated_by"])
        audit("hall.complaint.investigated", complaint, actor=by, actor_label="", at=at,
              state=[ComplaintState.REGISTERED, ComplaintState.INVESTIGATING])
    return complaint


def reply_complaint(complaint: Complaint, *, finding: str, reply: str, by: Any, reason: str = "",
                    at: datetime | None = None) -> Complaint:
    """Conclude: valid or not valid, with the reason for the finding (the reply states it when no
    separate reason is given) and the reply to the complainant. Once only; stops the clock, and a
    reply after the limit opens the accountability record in the same transaction."""
    at = resolve_at(at)
    if finding not in Finding.values:
        raise InvalidInput(_("认定结果须为 valid 或 invalid"), field="finding", rule="choice")
    reply = require_text(reply, "reply", _("须填写答复内容"))
    reason = (reason or "").strip() or reply
    with transaction.atomic():
        complaint = locked(complaint, "window", "department", "timer")
        if complaint.replied_at is not None:
            raise IllegalTransition(_("该投诉已答复"), field="state", rule="complaint_answered")
        _require_handler(by, complaint)
        if at < complaint.received_at:
            raise InvalidInput(_("答复时间不能早于投诉时间"), field="at", rule="before_receipt")
        old = complaint.state
        complaint.finding, complaint.reason, complaint.reply = finding, reason, reply
        complaint.replied_at, complaint.replied_by, complaint.state = at, by, ComplaintState.CONCLUDED
        complaint.save(update_fields=["finding", "reason", "reply", "replied_at", "replied_by", "state"])
        audit("hall.complaint.replied", complaint, actor=by, actor_label="", at=at, finding=finding,
              state=[old, ComplaintState.CONCLUDED])
        if complaint.timer is not None:
            stop_timer(complaint.timer, at=at)
            if complaint.timer.overdue_at_stop:
                record_item_breach(complaint, complaint.timer, complaint.department, now=at, actor=by)
    return complaint


def valid_complaints(start: date, end: date, unit: OrgUnit | None = None) -> int:
    """Complaints found valid in [start, end] (inclusive local dates), within `unit`'s subtree."""
    tz = local_tz()
    begin = datetime(start.year, start.month, start.day, tzinfo=tz)
    qs = Complaint.objects.filter(finding=Finding.VALID, replied_at__gte=begin, replied_at__lte=end_of_day(end))
    if unit is not None:
        qs = qs.filter(window__path__startswith=unit.path)
    return qs.count()
