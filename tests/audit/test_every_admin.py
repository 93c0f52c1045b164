"""Every admin of every app is audited, and every admin of a model with a scope rule is scoped, so a
new app's admin cannot forget either."""

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured

from yizhan.audit.admin_log import AuditedAdminMixin
from yizhan.audit.models import AuditEvent
from yizhan.org.admin_scope import ScopedAdminMixin
from yizhan.org.scope import rule_of


def has_rule(model) -> bool:
    try:
        rule_of(model)
    except ImproperlyConfigured:
        return False
    return True


def ours(model) -> bool:
    """Yizhan's own models and the accounts (third-party apps' admins, e.g. the task queue's, aside)."""
    return model.__module__.startswith("yizhan.") or model._meta.app_label == "auth"


def test_every_admin_writes_audit_events():
    unaudited = [m._meta.label for m, a in admin.site._registry.items()
                 if ours(m) and not isinstance(a, AuditedAdminMixin) and m is not AuditEvent]
    assert unaudited == []


def test_every_admin_of_a_scoped_model_applies_the_scope():
    scoped = {m._meta.label for m in admin.site._registry if has_rule(m)}
    assert {"hall.Case", "hall.Notice", "hall.Refusal", "hall.Consultation", "hall.Complaint",
            "clock.AccountabilityRecord", "clock.Timer", "org.StaffRole", "org.OrgUnit"} <= scoped
    unscoped = [m._meta.label for m, a in admin.site._registry.items()
                if has_rule(m) and not isinstance(a, ScopedAdminMixin)]
    assert unscoped == []
