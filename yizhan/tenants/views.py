"""The property manager's screens: the rooms board (occupancy and figures, CSV/XLSX export), the
lease registration form, the obligations list (overdue first) and the patrol log. Rules are in the
services; the screens turn their errors into form errors (`yizhan.ui.forms.attempt`)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError
from yizhan.ledger.money import parse_yuan, yuan
from yizhan.org.scope import CHANGE, restrict
from yizhan.tenants import csv_io, obligations, patrol, registry
from yizhan.tenants.contact import contact_of
from yizhan.tenants.figures import figures
from yizhan.tenants.models import MANAGERS, READERS, HazardKind, Lease, Occupancy, Room, RosterEntry, Tenant
from yizhan.tenants.provinces import province_name
from yizhan.tenants.queries import obligations_of
from yizhan.ui.access import holds_any, require_roles
from yizhan.ui.export import export_response
from yizhan.ui.forms import DateField, IntegerField, attempt

DATE = forms.DateInput(attrs={"type": "date"})


@require_roles(*READERS)
def board(request: HttpRequest) -> HttpResponse:
    tables = [csv_io.rooms_table(request.user), csv_io.tenants_table(request.user)]
    if (response := export_response(request, tables)) is not None:
        csv_io.record_export(request.user, next(t for t in tables if t.name == request.GET.get("table")))
        return response
    today = timezone.localdate()
    rooms = restrict(Room.objects.select_related("building"), request.user).order_by("building__code", "code")
    living: dict[int, int] = {}
    for room_id in restrict(Occupancy.objects.filter(registry.current_stays(today)), request.user).values_list(
            "room_id", flat=True):
        living[room_id] = living.get(room_id, 0) + 1
    buildings: dict[str, dict] = {}
    for room in rooms:
        group = buildings.setdefault(room.building.code, {"name": room.building.name, "rooms": []})
        n = living.get(room.pk, 0)
        group["rooms"].append({"room": room, "living": n, "state": "full" if n >= room.capacity else
                               "partly" if n else "empty"})
    return render(request, "tenants/board.html", {"figures": figures(request.user), "buildings": buildings.values()})


class LeaseForm(forms.Form):
    contract_no = forms.CharField(label=_("合同编号"), max_length=32)
    room = forms.ModelChoiceField(label=_("房间"), queryset=Room.objects.none(), to_field_name="code")
    name = forms.CharField(label=_("承租人姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=40)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    start = DateField(label=_("起租日期"), widget=DATE)
    end = DateField(label=_("到期日期"), widget=DATE)
    rent = forms.CharField(label=_("月租金（元）"), max_length=16)
    deposit = forms.CharField(label=_("押金（元）"), max_length=16, required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = restrict(Room.objects.all(), user, CHANGE).order_by("code")


@require_roles(*MANAGERS)
def register(request: HttpRequest) -> HttpResponse:
    form = LeaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def act():
            rent = parse_yuan(data["rent"], field="rent")
            deposit = parse_yuan(data["deposit"], field="deposit") if data["deposit"] else 0
            item = registry.LeaseIn(data["contract_no"], data["room"].code,
                                    registry.Person(data["name"], data["id_number"], data["phone"]),
                                    data["start"], data["end"], rent, deposit)
            return registry.register([item], actor=request.user)

        result = attempt(form, lambda: _mapped(act, {"rent_fen": "rent", "deposit_fen": "deposit"}))
        if result is not None:
            lease = result.leases[0]
            messages.success(request, _("已登记合同 %(no)s：%(name)s 入住 %(room)s，来沪登记须在 %(n)d 个工作日内完成") % {
                "no": lease.contract_no, "name": lease.tenant.name, "room": lease.room.code,
                "n": obligations.REGISTRATION_DAYS})
            return redirect("tenants:tenant", pk=lease.tenant_id)
    return render(request, "tenants/register.html", {"form": form}, status=422 if form.errors else 200)


def _mapped(action, names: dict[str, str]):
    """Run `action`, giving a rule error the form's name of the field it names (`rent_fen` → `rent`)."""
    try:
        return action()
    except RuleError as exc:
        if exc.field in names:
            exc.field = names[exc.field]
        raise


@require_roles(*READERS)
def tenant(request: HttpRequest, pk: int) -> HttpResponse:
    """The tenant's page: ID number and phone in full for the property manager of its unit (audited)."""
    person = get_object_or_404(restrict(Tenant.objects.select_related("unit"), request.user), pk=pk)
    contact = contact_of(person, request.user, via="screen")
    stays = person.occupancies.select_related("room", "lease").order_by("-moved_in")
    leases = [(lease, yuan(lease.rent_fen), yuan(lease.deposit_fen)) for lease in
              Lease.objects.filter(tenant=person).select_related("room")]
    return render(request, "tenants/tenant.html", {
        "person": person, "province": province_name(person.province),
        "id_number": contact.id_number, "phone": contact.phone, "stays": stays, "leases": leases})


class RegisteredForm(forms.Form):
    registered_on = DateField(label=_("登记日期"), widget=DATE)
    permit_note = forms.CharField(label=_("居住证办理情况"), max_length=200, required=False)


class SignedForm(forms.Form):
    signed_on = DateField(label=_("签署日期"), widget=DATE)
    signer = forms.CharField(label=_("签署人"), max_length=50)


def _obligations_page(request: HttpRequest, *, failed: int | None = None, form=None, status: int = 200):
    kind = request.GET.get("kind", "")
    items = list(obligations_of(request.user, kind=kind if kind in obligations.KINDS else None)[:300])
    return render(request, "tenants/obligations.html", {
        "items": items, "kind": kind, "kinds": obligations.KINDS, "figures": figures(request.user),
        "failed": failed, "form": form, "can_act": holds_any(request.user, MANAGERS)}, status=status)


@require_roles(*READERS)
def obligation_list(request: HttpRequest) -> HttpResponse:
    return _obligations_page(request)


@require_roles(*MANAGERS)
def obligation_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a registration (registered, permit helped) or a commitment (signed) from the list."""
    item = get_object_or_404(obligations_of(request.user), pk=pk)
    if request.method != "POST":
        return redirect("tenants:obligations")
    if item.kind == obligations.REGISTRATION:
        stay = get_object_or_404(Occupancy, pk=item.subject_id)
        form: forms.Form = RegisteredForm(request.POST)
        if form.is_valid() and attempt(form, lambda: obligations.register_occupant(
                stay, registered_on=form.cleaned_data["registered_on"],
                permit_note=form.cleaned_data["permit_note"], actor=request.user)):
            return redirect("tenants:obligations")
    elif item.kind == obligations.COMMITMENT:
        lease = get_object_or_404(Lease, pk=item.subject_id)
        form = SignedForm(request.POST)
        if form.is_valid() and attempt(form, lambda: obligations.sign_commitment(
                lease, signed_on=form.cleaned_data["signed_on"], signer=form.cleaned_data["signer"],
                actor=request.user)):
            return redirect("tenants:obligations")
    else:
        return redirect("followups:list")
    return _obligations_page(request, failed=item.pk, form=form, status=422)


class LogForm(forms.Form):
    note = forms.CharField(label=_("巡查情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    kind = forms.ChoiceField(label=_("发现类别"), choices=[("", "—"), *HazardKind.choices], required=False)
    description = forms.CharField(label=_("发现情况"), max_length=300, required=False)
    room = forms.CharField(label=_("房间"), max_length=48, required=False)
    hazard = forms.BooleanField(label=_("安全隐患（须整改）"), required=False)
    fix_days = IntegerField(label=_("整改时限（工作日）"), min_value=1, max_value=60, required=False)


def _patrol_page(request: HttpRequest, *, failed: int | None = None, form=None, status: int = 200):
    today = timezone.localdate()
    entries = (restrict(RosterEntry.objects.select_related("shift", "area", "patroller", "log"), request.user)
               .filter(day=today).order_by("shift__starts", "area__code"))
    return render(request, "tenants/patrol.html", {"entries": entries, "today": today, "failed": failed,
                                                   "form": form or LogForm(), "kinds": HazardKind.choices},
                  status=status)


@require_roles(*READERS)
def patrol_page(request: HttpRequest) -> HttpResponse:
    return _patrol_page(request)


@require_roles(*READERS)
def patrol_log(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(restrict(RosterEntry.objects.select_related("area__unit"), request.user), pk=pk)
    if request.method != "POST":
        return redirect("tenants:patrol")
    form = LogForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        incidents = []
        if data["description"]:
            incidents.append(patrol.IncidentIn(data["kind"] or HazardKind.OTHER, data["description"], data["room"],
                                               data["hazard"], data["fix_days"] or 5))
        names = {f"incidents.0.{f}": f for f in ("kind", "description", "room", "fix_days")}
        if attempt(form, lambda: _mapped(lambda: patrol.log_patrol(entry, note=data["note"], incidents=incidents,
                                                                   actor=request.user), names)):
            messages.success(request, _("已记录 %(area)s 的巡查") % {"area": entry.area.name})
            return redirect("tenants:patrol")
    return _patrol_page(request, failed=entry.pk, form=form, status=422)
