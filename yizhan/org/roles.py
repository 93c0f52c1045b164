"""Who may act where: a role held at a unit covers that unit's whole subtree."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from yizhan.org.models import OrgUnit, Role, StaffRole


def has_role(user, roles: str | Iterable[str], unit: OrgUnit) -> bool:
    """True if `user` holds one of `roles` at `unit` or at one of its ancestors.

    Superusers and holders of the administrator role over the unit pass every check."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    wanted = {roles} if isinstance(roles, str) else set(roles)
    wanted.add(Role.ADMINISTRATOR)
    held = StaffRole.objects.filter(user=user, role__in=wanted).values_list("unit__path", flat=True)
    return any(unit.path.startswith(path) for path in held)


def units_in_scope(user, roles: str | Iterable[str]) -> QuerySet[OrgUnit]:
    """Every unit over which `user` holds one of `roles`."""
    if user.is_superuser:
        return OrgUnit.objects.all()
    wanted = {roles} if isinstance(roles, str) else set(roles)
    wanted.add(Role.ADMINISTRATOR)
    paths = list(StaffRole.objects.filter(user=user, role__in=wanted).values_list("unit__path", flat=True))
    if not paths:
        return OrgUnit.objects.none()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return OrgUnit.objects.filter(query)
