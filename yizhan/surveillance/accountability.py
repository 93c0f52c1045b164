"""Accountability for the surveillance clocks (问责扫描): a card review, a signal verification, an
incident's notification or response past its limit gets one accountability record naming the
responsible person and CDC, with an audit event. Idempotent: a second sweep adds nothing."""

from datetime import datetime

from django.db import transaction

from yizhan.audit.log import record
from yizhan.clock.accountability import breached_timers, open_record
from yizhan.clock.moments import resolve_at
from yizhan.surveillance.models import CaseCard, Incident, Signal

# (timer purpose, subject model) → the audit action of its breach
CLOCKS = (
    ("review", CaseCard, "surveillance.card.review_overdue"),
    ("resubmit", CaseCard, "surveillance.card.resubmit_overdue"),
    ("verification", Signal, "surveillance.signal.verification_overdue"),
    ("incident_notify", Incident, "surveillance.incident.notify_overdue"),
    ("incident_response", Incident, "surveillance.incident.response_overdue"),
)


def sweep(at: datetime | None = None, purposes: tuple[str, ...] | None = None) -> dict[str, int]:
    """Open the missing accountability records; returns how many were opened per timer purpose."""
    at = resolve_at(at)
    created: dict[str, int] = {}
    for purpose, model, action in CLOCKS:
        if purposes is not None and purpose not in purposes:
            continue
        subject_type = model._meta.label_lower
        created[purpose] = 0
        for timer in breached_timers(at).filter(purpose=purpose, subject_type=subject_type).order_by("pk"):
            with transaction.atomic():
                rec, is_new = open_record(timer, now=at)
                if is_new:
                    created[purpose] += 1
                    record(action, (subject_type, timer.subject_id), at=at, actor_label="sweep", record=rec.pk,
                           responsible_user=timer.responsible_user_id, responsible_unit=timer.responsible_unit_id,
                           hours_overdue=rec.days_overdue)
    return created
