"""Who may act where: a role held at a unit covers that unit's whole subtree. Thin names over the
one scope rule of `yizhan.org.scope`, kept for the service functions that check a single unit."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from yizhan.org.models import OrgUnit
from yizhan.org.scope import covers, units


def has_role(user: Any, roles: str | Iterable[str], unit: OrgUnit) -> bool:
    """True if `user` holds one of `roles` at `unit` or at one of its ancestors.

    Superusers and holders of the administrator role over the unit pass every check."""
    return covers(user, (roles,) if isinstance(roles, str) else roles, unit)


def units_in_scope(user: Any, roles: str | Iterable[str]) -> QuerySet[OrgUnit]:
    """Every unit over which `user` holds one of `roles`."""
    return units(user, (roles,) if isinstance(roles, str) else roles)
