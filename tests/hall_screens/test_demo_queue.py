"""The demo city gets its ticket machine: one queue group per department."""

from yizhan.demo.queue_groups import ensure_queue_groups
from yizhan.hall.models import QueueGroup


def test_one_group_per_department_made_once(staff_hall):
    made = ensure_queue_groups(staff_hall.center)
    assert [(g.letter, g.unit.code) for g in made] == [("A", "D1"), ("B", "D2")]
    a = QueueGroup.objects.get(letter="A")
    assert set(a.windows.values_list("code", flat=True)) == {"W11", "W12"}
    assert set(a.matters.values_list("code", flat=True)) == {"LIC", "SPOT"}
    assert ensure_queue_groups(staff_hall.center) == []
