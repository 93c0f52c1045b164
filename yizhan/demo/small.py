"""The smallest hall that takes cases: one center, department D1, window W11 with a clerk, matter LIC
(promised 5, statutory 20 working days). For load tests and benchmarks that need a case to act on."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from yizhan.hall.cases import receive_case
from yizhan.hall.models import Case, Matter
from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind


def small_hall(cases: int) -> tuple[Any, list[Case]]:
    """Build it with `cases` accepted cases received a moment ago; returns (clerk, cases)."""
    center = OrgUnit.objects.create(code="C", name="中心", kind=UnitKind.CENTER)
    dept = OrgUnit.objects.create(code="D1", name="部门", kind=UnitKind.DEPARTMENT, parent=center)
    window = OrgUnit.objects.create(code="W11", name="窗口", kind=UnitKind.WINDOW, parent=dept)
    clerk = get_user_model().objects.create_user("clerk")
    StaffRole.objects.create(user=clerk, role=Role.CLERK, unit=window)
    matter = Matter.objects.create(code="LIC", name="许可", department=dept, statutory_days=20, promised_days=5)
    # Received and accepted now, so a transition sent a moment later is never earlier than the last step.
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0)
    return clerk, [receive_case(matter=matter, window=window, applicant_name="张三", accept=True, actor=clerk,
                                at=now) for _ in range(cases)]
