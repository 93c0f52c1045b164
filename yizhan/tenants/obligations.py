"""Obligations on the clock, each a follow-up item (`yizhan.followups`) of the managing office:

- registration (来沪人员登记) and help with the residence permit (居住证): within
  REGISTRATION_DAYS working days of moving in; closed by `register_occupant`;
- a shop tenant's safety commitment (安保承诺书): the first within COMMITMENT_DAYS working days of
  the lease's start; signing one (`sign_commitment`) closes the item and opens the renewal, due when
  the signed one runs out a year later.

Hazards to fix are in `yizhan.tenants.hazards`."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_tz
from yizhan.clock.limits import Limit
from yizhan.errors import IllegalTransition, InvalidInput
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUp, FollowUpState
from yizhan.org.scope import require_permits
from yizhan.tenants.models import Lease, Occupancy, RoomKind, SafetyCommitment

REGISTRATION = "tenants.registration"
COMMITMENT = "tenants.commitment"
HAZARD = "tenants.hazard"
KINDS = (REGISTRATION, COMMITMENT, HAZARD)
REGISTRATION_DAYS = 5
COMMITMENT_DAYS = 10
COMMITMENT_VALID_DAYS = 365


def day_moment(day: date) -> datetime:
    """The start of a local day: when a dated event (moving in, signing) counts on the clock."""
    return datetime.combine(day, time.min, tzinfo=local_tz())


def open_item(subject: Occupancy | Lease, kind: str, *, opened: date, actor: Any = None,
              limit: Limit | None = None) -> FollowUp:
    room = subject.room
    if kind == REGISTRATION:
        title = _("来沪人员登记并协助办理居住证：%(name)s（%(room)s）") % {"name": subject.tenant.name, "room": room.code}
        limit = limit or Limit.days(REGISTRATION_DAYS)
    else:
        assert isinstance(subject, Lease)  # a shop's security commitment is signed with its lease
        title = _("商铺安保承诺书：%(room)s（合同 %(no)s）") % {"room": room.code, "no": subject.contract_no}
        limit = limit or Limit.days(COMMITMENT_DAYS)
    return followups.open_follow_up(subject, kind=kind, title=title, unit=room.building.unit, limit=limit,
                                    at=day_moment(opened), actor=actor)


def open_item_for(subject: Occupancy | Lease, kind: str) -> FollowUp | None:
    return followups.for_subject(subject).filter(kind=kind, state=FollowUpState.OPEN).first()


def require_manager(actor: Any, obj: Any, field: str) -> None:
    """The property manager of the unit `obj` belongs to (a room, a lease, a stay) acts on it."""
    require_permits(actor, obj, field=field, rule="not_property_manager",
                    message=_("您不是该房屋管理单位的物业管理员"))


def register_occupant(occupancy: Occupancy, *, registered_on: date, permit_note: str = "", actor: Any = None) -> Occupancy:
    """The occupant is registered (and the residence permit applied for): the follow-up is done."""
    permit_note = (permit_note or "").strip()
    if len(permit_note) > Occupancy._meta.get_field("permit_note").max_length:
        raise InvalidInput(_("居住证办理情况过长"), field="permit_note", rule="too_long")
    with transaction.atomic():
        occupancy = Occupancy.objects.select_for_update().select_related("tenant", "room__building__unit").get(
            pk=occupancy.pk)
        require_manager(actor, occupancy, "occupancy")
        if occupancy.registered_on is not None:
            raise IllegalTransition(_("该居住人已于 %(d)s 登记") % {"d": occupancy.registered_on},
                                    field="registered_on", rule="already_registered")
        if registered_on < occupancy.moved_in:
            raise InvalidInput(_("登记日期不能早于入住日期 %(d)s") % {"d": occupancy.moved_in},
                               field="registered_on", rule="before_moved_in")
        occupancy.registered_on, occupancy.permit_note = registered_on, permit_note
        occupancy.save(update_fields=["registered_on", "permit_note"])
        item = open_item_for(occupancy, REGISTRATION)
        if item is not None:
            followups.complete(item, note=permit_note or _("已登记"), at=day_moment(registered_on), actor=actor)
        record("tenants.occupant.registered", occupancy, actor=actor, registered_on=registered_on,
               permit_note=permit_note)
    return occupancy


def sign_commitment(lease: Lease, *, signed_on: date, signer: str, actor: Any = None) -> SafetyCommitment:
    """A shop tenant signs the year's safety commitment: the open item is done and the renewal opens,
    due the day the commitment runs out."""
    signer = (signer or "").strip()
    if not signer:
        raise InvalidInput(_("签署人不能为空"), field="signer", rule="required")
    if len(signer) > SafetyCommitment._meta.get_field("signer").max_length:
        raise InvalidInput(_("签署人过长"), field="signer", rule="too_long")
    with transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("room__building__unit", "tenant").get(pk=lease.pk)
        require_manager(actor, lease, "lease")
        if lease.room.kind != RoomKind.SHOP:
            raise InvalidInput(_("只有商铺租户须签署安保承诺书"), field="lease", rule="not_a_shop")
        if not lease.start <= signed_on <= lease.last_day:
            raise InvalidInput(_("签署日期须在合同期内（%(s)s 至 %(e)s）") % {"s": lease.start, "e": lease.last_day},
                               field="signed_on", rule="outside_lease")
        latest = lease.commitments.order_by("-signed_on").first()
        if latest is not None and signed_on <= latest.signed_on:
            raise InvalidInput(_("签署日期须晚于上一份承诺书（%(d)s）") % {"d": latest.signed_on},
                               field="signed_on", rule="not_after_last")
        valid_until = signed_on + timedelta(days=COMMITMENT_VALID_DAYS)
        commitment = SafetyCommitment.objects.create(lease=lease, signed_on=signed_on, valid_until=valid_until,
                                                     signer=signer)
        item = open_item_for(lease, COMMITMENT)
        if item is not None:
            followups.complete(item, note=_("已签署，有效期至 %(d)s") % {"d": valid_until},
                               at=max(day_moment(signed_on), item.opened_at), actor=actor)
        if valid_until <= lease.last_day:
            open_item(lease, COMMITMENT, opened=signed_on, actor=actor,
                      limit=Limit.hours(24 * COMMITMENT_VALID_DAYS))
        record("tenants.commitment.signed", commitment, actor=actor, lease=lease.contract_no,
               signed_on=signed_on, valid_until=valid_until, signer=signer)
    return commitment


def close_for_leaving(subject: Occupancy | Lease, kind: str, *, on: date, actor: Any = None) -> None:
    """Moving out or ending a lease early cancels what was still asked of that person or shop."""
    item = open_item_for(subject, kind)
    if item is not None:
        followups.cancel(item, reason=_("已于 %(d)s 搬离或终止租赁") % {"d": on},
                         at=max(day_moment(on), item.opened_at), actor=None)


def needs_commitment(lease: Lease) -> bool:
    return lease.room.kind == RoomKind.SHOP
