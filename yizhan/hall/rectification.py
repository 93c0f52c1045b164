"""Rectification of bad ratings (差评整改, GB/T 39734-2020): a 不满意 or 非常不满意 rating opens an item for
the head of the department responsible, on the shared clock (YIZHAN_RECTIFICATION_DAYS working days,
15 by default; accountable). The head verifies what happened, then rectifies (when the rating was
substantiated) or explains (when it was not), and replies to the applicant; that closes the item.
Closing after the limit, or the accountability sweep finding it still open past the limit, opens one
accountability record against the department.

    open ──verify──▶ verified ──close (rectified | explained, with reply)──▶ closed"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.clock.limits import Limit
from yizhan.clock.timers import start_timer, stop_timer
from yizhan.errors import IllegalTransition, InvalidInput, NotPermitted
from yizhan.hall.accountability import record_item_breach
from yizhan.hall.models import Rating, Rectification, RectificationState, Resolution
from yizhan.hall.service import audit, locked, require_text, resolve_at
from yizhan.org.scope import HALL_SUPERVISION, covers

PURPOSE = "rectification"


def rectification_limit() -> Limit:
    return Limit.days(getattr(settings, "YIZHAN_RECTIFICATION_DAYS", 15))


def open_rectification(rating: Rating, *, at: datetime) -> Rectification:
    """Open the item for a bad rating; called by `ratings.rate_case` inside its transaction."""
    timer = start_timer(rating, PURPOSE, rectification_limit(), at=at, responsible_unit=rating.department,
                        accountable=True)
    item = Rectification.objects.create(rating=rating, window=rating.window, department=rating.department,
                                        opened_at=at, timer=timer)
    audit("hall.rectification.opened", item, actor=None, actor_label="rating", at=at,
          case=rating.case.case_no, score=rating.score, deadline=timer.deadline)
    return item


def may_handle(user: Any, item: Rectification) -> bool:
    """The head of the item's department, or a hall supervisor over it."""
    return covers(user, HALL_SUPERVISION, item.department)


def _require_handler(user: Any, item: Rectification) -> None:
    if not may_handle(user, item):
        raise NotPermitted(_("只有本部门负责人或大厅督查可以处理差评整改"), field="by", rule="department_head_role")


def _require_state(item: Rectification, state: str, rule: str) -> None:
    if item.state != state:
        raise IllegalTransition(
            _("整改事项当前状态为“%(state)s”，不能执行此操作") % {"state": item.get_state_display()},
            field="state", rule=rule,
        )


def verify_rectification(item: Rectification, *, substantiated: bool, verification: str, by: Any,
                         at: datetime | None = None) -> Rectification:
    """Record what the head found: whether the applicant's criticism holds (`substantiated`) and how."""
    at = resolve_at(at)
    verification = require_text(verification, "verification", _("须填写核实情况"))
    with transaction.atomic():
        item = locked(item, "department")
        _require_handler(by, item)
        _require_state(item, RectificationState.OPEN, "rectification_verified")
        if at < item.opened_at:
            raise InvalidInput(_("核实时间不能早于差评时间"), field="at", rule="before_opening")
        item.substantiated, item.verification = bool(substantiated), verification
        item.verified_at, item.verified_by, item.state = at, by, RectificationState.VERIFIED
        item.save(update_fields=["substantiated", "verification", "verified_at", "verified_by", "state"])
        audit("hall.rectification.verified", item, actor=by, actor_label="", at=at,
              substantiated=item.substantiated, state=[RectificationState.OPEN, RectificationState.VERIFIED])
    return item


def close_rectification(item: Rectification, *, measures: str, reply: str, by: Any,
                        at: datetime | None = None) -> Rectification:
    """Rectify (substantiated) or explain (not substantiated) and reply to the applicant: stops the
    clock; a close after the deadline opens the accountability record in the same transaction."""
    at = resolve_at(at)
    measures = require_text(measures, "measures", _("须填写整改措施或情况说明"))
    reply = require_text(reply, "reply", _("须填写给申请人的回复"))
    with transaction.atomic():
        item = locked(item, "department", "timer")
        _require_handler(by, item)
        _require_state(item, RectificationState.VERIFIED, "rectification_not_verified")
        if at < item.verified_at:
            raise InvalidInput(_("办结时间不能早于核实时间"), field="at", rule="before_verification")
        stop_timer(item.timer, at=at)
        item.resolution = Resolution.RECTIFIED if item.substantiated else Resolution.EXPLAINED
        item.measures, item.reply, item.closed_at, item.closed_by = measures, reply, at, by
        item.state = RectificationState.CLOSED
        item.save(update_fields=["resolution", "measures", "reply", "closed_at", "closed_by", "state"])
        audit("hall.rectification.closed", item, actor=by, actor_label="", at=at, resolution=item.resolution,
              on_time=at <= item.timer.deadline, state=[RectificationState.VERIFIED, RectificationState.CLOSED])
        if item.timer.overdue_at_stop:
            record_item_breach(item, item.timer, item.department, now=at, actor=by)
    return item
