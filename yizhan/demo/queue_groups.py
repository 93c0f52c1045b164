"""The demo city's ticket machine: one queue group per department of the center (letters A, B, …),
called by the department's windows and covering its matters. Made once, when there are none."""

from string import ascii_uppercase
from typing import Any

from django.db import transaction

from yizhan.audit.log import record
from yizhan.hall.models import QueueGroup
from yizhan.org.models import OrgUnit, UnitKind


def ensure_queue_groups(center: OrgUnit) -> list[QueueGroup]:
    if QueueGroup.objects.exists():
        return []
    departments = OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, path__startswith=center.path, active=True)
    made: list[Any] = []
    with transaction.atomic():
        for letter, department in zip(ascii_uppercase, departments.order_by("sort", "path"), strict=False):
            group = QueueGroup.objects.create(letter=letter, name=department.name, unit=department,
                                              sort=len(made))
            group.windows.set(department.children.filter(kind=UnitKind.WINDOW, active=True))
            group.matters.set(department.matters.filter(active=True))
            record("hall.queuegroup.created", group, actor_label="demo", letter=letter, unit=department.code)
            made.append(group)
    return made
