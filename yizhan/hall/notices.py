"""One-time notice (一次性告知, 行政许可法 Art. 32).

What is missing is computed, never typed: the matter's checklist (mandatory materials, plus the
conditional ones the clerk marked as applicable to this case) minus what was received. The notice
lists all of it at once, within 5 working days of receipt (the "notice" timer started at receipt,
stopped by the first notice). While the applicant supplements, an accepted case's clock is paused
(reason supplement) and resumes when everything listed has arrived. A later notice may not ask for
a material the first one did not list, unless a hall supervisor overrides with a recorded reason."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from yizhan.clock.models import PauseReason
from yizhan.errors import InvalidInput, NotPermitted
from yizhan.hall.errors import NoticeRefused
from yizhan.hall.models import Case, CaseMaterial, CaseState, Material, Notice, NoticeItem, NoticeState
from yizhan.hall.pauses import is_paused, pause_locked, resume_locked
from yizhan.hall.service import LOCK_RELATED, audit, locked, require_state, resolve_at, stop_running
from yizhan.org.models import Role
from yizhan.org.scope import covers, require_permits

NOTICE_STATES = (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.UNDER_REVIEW)
TIMED_STATES = (CaseState.ACCEPTED, CaseState.UNDER_REVIEW)


def required_materials(case: Case) -> list[Material]:
    """The case's checklist: mandatory materials and the conditional ones marked applicable."""
    return _checklist(case)[0]


def missing_materials(case: Case) -> list[Material]:
    required, received = _checklist(case)
    return [m for m in required if m.pk not in received]


def _checklist(case: Case) -> tuple[list[Material], set[int]]:
    """The checklist and the ids of the materials received, from one read of the case's rows."""
    applicable, received = set(), set()
    for material_id, is_applicable, received_at in case.materials.values_list("material_id", "applicable",
                                                                                "received_at"):
        if is_applicable:
            applicable.add(material_id)
        if received_at is not None:
            received.add(material_id)
    return [m for m in case.matter.materials.all() if not m.conditional or m.pk in applicable], received


def _own_materials(case: Case, materials: Iterable[Material]) -> list[Material]:
    materials = list(materials)
    foreign = [m.name for m in materials if m.matter_id != case.matter_id]
    if foreign:
        raise InvalidInput(_("材料不属于事项 %(matter)s：%(names)s") % {
            "matter": case.matter.code, "names": "、".join(foreign)}, field="materials", rule="foreign_material")
    return materials


def mark_applicable(case: Case, material: Material, *, applicable: bool = True, at: datetime | None = None,
                    actor: Any = None, actor_label: str = "") -> CaseMaterial:
    """Mark a conditional material as applying (or not) to this case, so it joins the checklist; by
    staff over the case's window."""
    require_permits(actor, case, field="case", rule="not_window_staff")
    at = resolve_at(at)
    [material] = _own_materials(case, [material])
    if not material.conditional:
        raise InvalidInput(_("“%(name)s”是必交材料，无需标记适用") % {"name": material.name}, field="material",
                           rule="not_conditional")
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        require_state(case, NOTICE_STATES, "notice")
        row, _created = CaseMaterial.objects.update_or_create(case=case, material=material,
                                                              defaults={"applicable": applicable})
        audit("hall.case.material_applicable", case, actor=actor, actor_label=actor_label, at=at,
              material=material.name, applicable=applicable)
    return row


def receive_materials(case: Case, materials: Iterable[Material], *, at: datetime | None = None, actor: Any = None,
                      actor_label: str = "") -> Case:
    """Record materials handed in. When everything the open notice listed has arrived, the notice is
    satisfied, the case stops waiting and a supplement pause ends."""
    at = resolve_at(at)
    materials = _own_materials(case, materials)
    if not materials:
        raise InvalidInput(_("未选择材料"), field="materials", rule="required")
    by = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        require_state(case, NOTICE_STATES, "notice")
        _record_received(case, materials, at, by)
        satisfied = _settle_notices(case, at) if case.awaiting_supplement else []
        audit("hall.case.materials_received", case, actor=actor, actor_label=actor_label, at=at,
              materials=[m.name for m in materials], notices_satisfied=satisfied)
    return case


def _record_received(case: Case, materials: list[Material], at: datetime, by: Any) -> None:
    """Each material received now: its row updated if the case has one, created otherwise (two
    statements for the lot, not two per material)."""
    unique = list({m.pk: m for m in materials}.values())
    existing = {row.material_id: row for row in CaseMaterial.objects.filter(case=case, material_id__in=[m.pk for m in unique])}
    fresh = []
    for material in unique:
        row = existing.get(material.pk)
        if row is None:
            fresh.append(CaseMaterial(case=case, material=material, received_at=at, copies=material.copies,
                                      received_by=by))
        else:
            row.received_at, row.copies, row.received_by = at, material.copies, by
    CaseMaterial.objects.bulk_create(fresh)
    if existing:
        CaseMaterial.objects.bulk_update(list(existing.values()), ["received_at", "copies", "received_by"])


def _settle_notices(case: Case, at: datetime) -> list[int]:
    missing = {m.pk for m in missing_materials(case)}
    open_notices = list(case.notices.filter(state=NoticeState.ISSUED).prefetch_related("items"))
    if any(item.material_id in missing for n in open_notices for item in n.items.all()):
        return []
    Notice.objects.filter(pk__in=[n.pk for n in open_notices]).update(state=NoticeState.SATISFIED, satisfied_at=at)
    case.awaiting_supplement = False
    case.save(update_fields=["awaiting_supplement"])
    if case.state in TIMED_STATES and is_paused(case):
        running = case.promised_timer.pauses.filter(ended_at__isnull=True).first()
        if running is not None and running.reason == PauseReason.SUPPLEMENT:
            resume_locked(case, at=at)
    return [n.pk for n in open_notices]


def issue_notice(case: Case, *, at: datetime | None = None, actor: Any = None, actor_label: str = "",
                 override_reason: str = "", override_by: Any = None) -> Notice:
    """Issue the one-time notice listing every missing material.

    Refused (NoticeRefused) when nothing is missing, or when this is a later notice and it would ask
    for a material the first notice did not list — unless `override_by` (default: `actor`) is a hall
    supervisor over the case's window and `override_reason` is given. The first notice stops the
    5-working-day notice timer; an accepted case's timers pause (reason supplement)."""
    at = resolve_at(at)
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        require_state(case, NOTICE_STATES, "notice")
        missing = missing_materials(case)
        if not missing:
            raise NoticeRefused(_("办件 %(no)s 材料齐全，无需告知") % {"no": case.case_no}, field="materials",
                                rule="nothing_missing")
        first = case.notices.order_by("seq").first()
        supervisor, reason = None, override_reason.strip()
        if first is not None:
            listed = set(first.items.values_list("material_id", flat=True))
            new = [m for m in missing if m.pk not in listed]
            if new:
                supervisor = _check_override(case, new, override_by, reason, actor)
        seq = case.notices.count() + 1
        case.notices.filter(state=NoticeState.ISSUED).update(state=NoticeState.SUPERSEDED)
        by = actor if getattr(actor, "is_authenticated", False) else None
        notice = Notice.objects.create(case=case, seq=seq, issued_at=at, issued_by=by,
                                       override_reason=reason if supervisor else "", override_by=supervisor)
        NoticeItem.objects.bulk_create([
            NoticeItem(notice=notice, material=m, name=m.name, form=m.form, copies=m.copies, condition=m.condition)
            for m in missing
        ])
        late = case.notice_timer is not None and case.notice_timer.stopped_at is None and at > case.notice_timer.deadline
        if first is None:
            stop_running(case.notice_timer, at)
        case.awaiting_supplement = True
        case.save(update_fields=["awaiting_supplement"])
        if case.state in TIMED_STATES and not is_paused(case):
            pause_locked(case, reason=PauseReason.SUPPLEMENT, note=str(_("一次性告知第 %(seq)d 号") % {"seq": seq}),
                         at=at, actor=actor)
        audit("hall.notice.issued", case, actor=actor, actor_label=actor_label, at=at, notice=notice.pk, seq=seq,
              materials=[m.name for m in missing], late=late,
              override_by=supervisor.pk if supervisor else None, override_reason=notice.override_reason)
    return notice


def _check_override(case: Case, new: list[Material], override_by: Any, reason: str, actor: Any) -> Any:
    names = "、".join(m.name for m in new)
    if not reason and override_by is None:
        raise NoticeRefused(
            _("首次告知书未列出以下材料，不能再次要求：%(names)s（须大厅督查批准并说明理由）") % {"names": names},
            field="materials", rule="not_in_first_notice")
    by = override_by or actor
    if not covers(by, (Role.HALL_SUPERVISOR,), case.window):
        raise NotPermitted(
            _("首次告知书未列出以下材料：%(names)s；只有大厅督查可以批准增补") % {"names": names},
            field="override_by", rule="not_in_first_notice")
    if not reason:
        raise NoticeRefused(_("增补告知须写明理由"), field="override_reason", rule="override_reason_required")
    return by


def notice_context(notice: Notice) -> dict[str, Any]:
    case = notice.case
    return {
        "notice": notice,
        "case": case,
        "items": list(notice.items.all()),
        "matter": case.matter,
        "window": case.window,
        "department": case.department,
    }


def render_notice(notice: Notice) -> str:
    """The printable notice (HTML) handed to the applicant."""
    return render_to_string("hall/notice_print.html", notice_context(notice))
