"""Public commitments (公开承诺, 上墙公布): what staff promise, posted on the wall and on the hall's
board with their badge number and name — text only, no photo. Entered in the admin."""

from typing import Any

from yizhan.hall.models import Commitment
from yizhan.org.models import OrgUnit


def public_commitments(unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """The posted commitments (of `unit`'s subtree), in the order the admin set."""
    qs = Commitment.objects.filter(active=True).select_related("staff", "staff__unit")
    if unit is not None:
        qs = qs.filter(staff__unit__path__startswith=unit.path)
    return [
        {"badge_no": c.staff.badge_no, "name": c.staff.name, "unit": c.staff.unit.name if c.staff.unit else "",
         "text": c.text, "posted_on": c.posted_on}
        for c in qs
    ]
