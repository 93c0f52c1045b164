"""The fast green channel (快速绿色通道) for key projects (e.g. 翠山湖新区): a flagged case runs on the
matter's shortened limit and comes first in every queue."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput
from yizhan.hall.models import Case, CaseState, Matter
from yizhan.hall.service import LOCK_RELATED, audit, locked, require_state, require_text, resolve_at
from yizhan.org.scope import require_permits


def check_green_channel(matter: Matter) -> None:
    """Refuse the green channel for a matter that has no shortened limit."""
    if not matter.green_channel or matter.green_channel_days is None:
        raise InvalidInput(_("事项 %(matter)s 未设定绿色通道时限，不能走绿色通道") % {"matter": matter.code},
                           field="green_project", rule="no_green_channel")


def flag_green_channel(case: Case, *, project: str, at: datetime | None = None, actor: Any = None,
                       actor_label: str = "") -> Case:
    """Flag a submitted case as a key project's. Only before acceptance: the promised timer starts
    on the shortened limit at acceptance. By staff over the case's window."""
    require_permits(actor, case, field="case", rule="not_window_staff")
    at = resolve_at(at)
    project = require_text(project, "green_project", _("须填写重点项目名称"))
    with transaction.atomic():
        case = locked(case, *LOCK_RELATED)
        require_state(case, (CaseState.SUBMITTED,), "green")
        check_green_channel(case.matter)
        case.green_channel, case.green_project = True, project
        case.save(update_fields=["green_channel", "green_project"])
        audit("hall.case.green_channel", case, actor=actor, actor_label=actor_label, at=at, green_project=project)
    return case


def green_first(queryset: QuerySet, *then: str, prefix: str = "") -> QuerySet:
    """Order a queue with green-channel cases first, then by `then` (default: earliest received).
    `prefix` reaches the case through a relation (e.g. "case__" for a queryset of notices)."""
    order = then or (f"{prefix}received_at", f"{prefix}id")
    return queryset.order_by(f"-{prefix}green_channel", *order)
