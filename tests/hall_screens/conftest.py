import pytest

from tests.ui.conftest import PASSWORD, staff_hall  # noqa: F401
from yizhan.hall.models import QueueGroup


@pytest.fixture
def groups(staff_hall):  # noqa: F811  (the fixture imported above)
    """Group A (LIC and SPOT, called by W11 and W12, department D1) and group B (PLAIN, called by W21)."""
    a = QueueGroup.objects.create(letter="A", name="市场监管", unit=staff_hall.d1)
    a.windows.set([staff_hall.w11, staff_hall.w12])
    a.matters.set([staff_hall.lic, staff_hall.spot])
    b = QueueGroup.objects.create(letter="B", name="住建", unit=staff_hall.d2)
    b.windows.set([staff_hall.w21])
    b.matters.set([staff_hall.build])
    return a, b
