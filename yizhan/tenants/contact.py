"""A tenant's ID number and phone as a person may see them: in full for the property manager of the
tenant's unit, and that look is an audit event (`privacy.revealed`); masked for anyone else. The
screen and the API both show a tenant through this one function."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from yizhan.audit.privacy import mask_id, mask_phone, record_reveal
from yizhan.org.scope import covers
from yizhan.tenants.models import MANAGERS, Tenant


@dataclass(frozen=True)
class Contact:
    id_number: str
    phone: str
    revealed: bool


def masked_contact(tenant: Tenant) -> Contact:
    """As every list shows a tenant."""
    return Contact(mask_id(tenant.id_number), mask_phone(tenant.phone), revealed=False)


def contact_of(tenant: Tenant, viewer: Any, *, via: str, at: datetime | None = None) -> Contact:
    """`via`: where it is shown ("screen", "api"), kept in the audit event."""
    if not covers(viewer, MANAGERS, tenant.unit):
        return masked_contact(tenant)
    record_reveal(viewer, tenant, ["id_number", "phone"], via=via, at=at)
    return Contact(tenant.id_number, tenant.phone, revealed=True)
