"""Who may see and change what: one rule, used by every list and detail of Yizhan — the admin, the
API, the screens, the exports and the figures.

A role held at a unit covers that unit's whole subtree (`covers`). A model that holds rows
belonging to units declares where it sits in the tree with a `ScopeRule`:

    class Case(models.Model):
        scope_rule = ScopeRule(units=("window",), roles=HALL_STAFF)
        objects = ScopedQuerySet.as_manager()

(or, for a model of an app below `org`, `register(Model, ScopeRule(...))`), and every list of it is `Case.objects.restrict(user, "view")` (or `restrict(qs, user, "view")` for a
queryset built elsewhere). A row is in a user's scope when any of its `units` lies in the subtree of a
unit where the user holds one of the rule's roles for that action. The administrator role and
superusers pass every rule; anonymous users see nothing."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from yizhan.errors import NotPermitted
from yizhan.org.models import OrgUnit, Role, StaffRole

VIEW, CHANGE = "view", "change"
ACTIONS = (VIEW, CHANGE)

HALL_STAFF = (Role.CLERK, Role.DEPARTMENT_HEAD, Role.HALL_SUPERVISOR)
HALL_SUPERVISION = (Role.DEPARTMENT_HEAD, Role.HALL_SUPERVISOR)
SURVEILLANCE_STAFF = (Role.REPORTER, Role.EPIDEMIOLOGIST)


@dataclass(frozen=True)
class ScopeRule:
    """`units`: lookups from the model to the OrgUnit foreign keys that place a row in the tree ("" for
    an OrgUnit itself); `roles`: who sees rows in their subtree; `change_roles`: who may change them
    (default: the same roles)."""

    units: tuple[str, ...]
    roles: tuple[str, ...]
    change_roles: tuple[str, ...] | None = None

    def roles_for(self, action: str) -> tuple[str, ...]:
        if action not in ACTIONS:
            raise ValueError(f"unknown scope action {action!r}; expected one of {ACTIONS}")
        if action == CHANGE and self.change_roles is not None:
            return self.change_roles
        return self.roles


_REGISTERED: dict[type[models.Model], ScopeRule] = {}


def register(model: type[models.Model], rule: ScopeRule) -> None:
    """Give a rule to a model of an app that may not import `org` (the clock's accountability records
    are placed in the tree by the hall, in its AppConfig.ready)."""
    _REGISTERED[model] = rule


def rule_of(model: type[models.Model]) -> ScopeRule:
    rule = _REGISTERED.get(model) or getattr(model, "scope_rule", None)
    if not isinstance(rule, ScopeRule):
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_rule; it cannot be restricted")
    return rule


def held_paths(user: Any, roles: Iterable[str]) -> list[str] | None:
    """The tree paths under which `user` holds one of `roles` (administrator included); None means
    everywhere (a superuser), [] nowhere."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return []
    if user.is_superuser:
        return None
    wanted = {*roles, Role.ADMINISTRATOR}
    return sorted(set(StaffRole.objects.filter(user=user, role__in=wanted).values_list("unit__path", flat=True)))


def roles_held(user: Any) -> set[str] | None:
    """The roles `user` holds at some unit; None means every role (a superuser). One query, for a
    page that asks about many roles at once (the navigation)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return set()
    if user.is_superuser:
        return None
    return set(StaffRole.objects.filter(user=user).values_list("role", flat=True))


def _condition(rule: ScopeRule, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for lookup in rule.units:
        key = f"{lookup}__path__startswith" if lookup else "path__startswith"
        for path in paths:
            condition |= Q(**{key: path})
    return condition


def restrict(qs: QuerySet, user: Any, action: str = VIEW) -> QuerySet:
    """The rows of `qs` that `user` may see (action "view") or change ("change")."""
    rule = rule_of(qs.model)
    paths = held_paths(user, rule.roles_for(action))
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    return qs.filter(_condition(rule, paths))


def restrict_subjects(qs: QuerySet, user: Any, action: str = VIEW) -> QuerySet:
    """The rows of `qs` — records about other rows, such as audit events, naming their subject by
    `object_type` (a model label) and `object_id` (its pk) — whose subject is in `user`'s scope by the
    rule of the subject's model. A subject whose model has no rule, or that is gone, is out of scope.
    Superusers and administrators see every row."""
    paths = held_paths(user, ())  # the administrator role, wherever it is held
    if paths is None or paths:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    condition = Q(pk__in=[])
    for label in qs.order_by().values_list("object_type", flat=True).distinct():
        try:
            model = apps.get_model(label)
            rule_of(model)
        except (LookupError, ValueError, ImproperlyConfigured):
            continue
        subjects = restrict(model._default_manager.all(), user, action)
        condition |= Q(object_type=label,
                       object_id__in=subjects.annotate(subject_ref=Cast("pk", CharField())).values("subject_ref"))
    return qs.filter(condition)


def permits(user: Any, obj: models.Model, action: str = VIEW) -> bool:
    """Whether `obj` is in `user`'s scope for `action`."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def units(user: Any, roles: Iterable[str]) -> QuerySet[OrgUnit]:
    """Every unit in the subtrees where `user` holds one of `roles`."""
    paths = held_paths(user, roles)
    if paths is None:
        return OrgUnit.objects.all()
    if not paths:
        return OrgUnit.objects.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def covers(user: Any, roles: Iterable[str], unit: OrgUnit) -> bool:
    """Whether `user` holds one of `roles` at `unit` or above it."""
    paths = held_paths(user, roles)
    return paths is None or any(unit.path.startswith(p) for p in paths)


def require_covers(actor: Any, roles: Iterable[str], unit: OrgUnit, *, field: str = "",
                   rule: str = "out_of_scope", message: Any = None) -> None:
    """The one "who may do this" check of the service functions: `actor` must hold one of `roles` at
    `unit` or above it (administrators and superusers always do), else NotPermitted naming `field` and
    `rule`. `actor=None` is the system itself (the scheduler, the demo, an operator's import on the
    command line), which the caller has already trusted; an anonymous or inactive user is refused."""
    if actor is None:
        return
    if not covers(actor, roles, unit):
        raise NotPermitted(message or _("您无权对%(unit)s办理此事项") % {"unit": unit.name}, field=field, rule=rule)


def require_holds(actor: Any, roles: Iterable[str], *, field: str = "", rule: str = "not_permitted",
                  message: Any = None) -> None:
    """Like `require_covers` for an action that belongs to no one unit: `actor` must hold one of
    `roles` somewhere."""
    if actor is None:
        return
    if held_paths(actor, roles) == []:
        raise NotPermitted(message or _("您没有办理此事项的角色"), field=field, rule=rule)


def require_permits(actor: Any, obj: models.Model, action: str = CHANGE, *, field: str = "",
                    rule: str = "out_of_scope", message: Any = None) -> None:
    """Like `require_covers` for a row of a model with a scope rule: `obj` must be in `actor`'s scope
    for `action` (by default "change", the rule's change_roles)."""
    if actor is None:
        return
    if not permits(actor, obj, action):
        raise NotPermitted(message or _("您无权办理此事项"), field=field, rule=rule)


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> "ScopedQuerySet":
        return cast(ScopedQuerySet, restrict(self, user, action))


# The tree itself and who holds which role in it: seen within one's subtree (the supervisors see
# their staff), changed only by administrators of that subtree and superusers.
register(OrgUnit, ScopeRule(units=("",), roles=(*HALL_STAFF, *SURVEILLANCE_STAFF), change_roles=()))
register(StaffRole, ScopeRule(units=("unit",), roles=(*HALL_SUPERVISION, Role.EPIDEMIOLOGIST), change_roles=()))
