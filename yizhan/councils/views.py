"""The council secretary's screens: the quarter's meetings, a meeting with its attendance, minutes
and proposals (submitted, imported, decided, exported), the printable issue for the company paper;
and the public page of a published quarter (no sign-in, only what the issue prints)."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.councils import figures, meetings, proposals
from yizhan.councils.models import COUNCIL_ROLES, Council, Meeting, Member, Outcome, Proposal
from yizhan.councils.proposals_csv import import_proposals
from yizhan.errors import ImportFailed
from yizhan.followups.models import FOLLOW_UP_ROLES
from yizhan.org.models import OrgUnit, StaffRole
from yizhan.org.scope import restrict
from yizhan.ui.access import require_roles
from yizhan.ui.export import Table, export_response
from yizhan.ui.forms import DateField, IntegerField, attempt


class MeetingForm(forms.Form):
    council = forms.ModelChoiceField(label=_("议事会"), queryset=Council.objects.none())
    year = IntegerField(label=_("年度"), min_value=2000, max_value=2099)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=[(q, q) for q in (1, 2, 3, 4)])
    held_on = DateField(label=_("召开日期"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea(attrs={"rows": 3}))


class MinutesForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(label=_("出席成员"), queryset=Member.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))


class ProposalForm(forms.Form):
    proposer = forms.ModelChoiceField(label=_("提议人"), queryset=Member.objects.none())
    title = forms.CharField(label=_("议题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    submitted_on = DateField(label=_("提交日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("决定"), choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    referred_to = forms.ModelChoiceField(label=_("转交单位"), queryset=OrgUnit.objects.none(), required=False)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=get_user_model().objects.none(), required=False)
    days = IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=365, initial=proposals.DEFAULT_DAYS)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("提案文件（CSV）"))


def _councils(user):
    return restrict(Council.objects.select_related("unit"), user, "change")


def _meeting(user, pk: int) -> Meeting:
    return get_object_or_404(restrict(Meeting.objects.select_related("council__unit"), user, "change"), pk=pk)


def _decision_form(meeting: Meeting, data=None) -> DecisionForm:
    form = DecisionForm(data)
    company = meeting.council.unit.ancestors().first()
    cast(forms.ModelChoiceField, form.fields["referred_to"]).queryset = company.subtree() if company else OrgUnit.objects.none()
    owners = StaffRole.objects.filter(role__in=FOLLOW_UP_ROLES, unit__path__startswith=meeting.council.unit.path)
    cast(forms.ModelChoiceField, form.fields["owner"]).queryset = get_user_model().objects.filter(pk__in=owners.values("user")).order_by("username")
    return form


@require_roles(*COUNCIL_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    councils = _councils(request.user)
    form = MeetingForm(request.POST or None)
    cast(forms.ModelChoiceField, form.fields["council"]).queryset = councils
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(form, lambda: meetings.hold_meeting(
            data["council"], year=data["year"], quarter=data["quarter"], held_on=data["held_on"],
            agenda=data["agenda"], actor=request.user))
        if made:
            return redirect("councils:meeting", made.pk)
    scope = restrict(Proposal.objects.all(), request.user)
    return render(request, "councils/index.html", {
        "councils": councils, "form": form, "quarters": figures.per_quarter(scope),
        "meetings": restrict(Meeting.objects.select_related("council"), request.user)[:40],
    }, status=422 if form.errors else 200)


def _meeting_page(request: HttpRequest, meeting: Meeting, *, status: int = 200, failed: int | None = None,
                  **forms_given) -> HttpResponse:
    members = meeting.council.members.filter(active=True)
    minutes = forms_given.get("minutes") or MinutesForm(initial={"minutes": meeting.minutes,
                                                                 "attendees": meeting.attendees.all()})
    cast(forms.ModelChoiceField, minutes.fields["attendees"]).queryset = members
    proposal = forms_given.get("proposal") or ProposalForm(initial={"submitted_on": meeting.held_on})
    cast(forms.ModelChoiceField, proposal.fields["proposer"]).queryset = members
    items = meeting.proposals.select_related("proposer", "referred_to", "follow_up__timer")
    table = Table("proposals", _("提案"), [_("序号"), _("议题"), _("提议人"), _("提交日期"), _("决定"), _("理由"),
                                         _("转交单位"), _("办理期限"), _("办理情况")],
                  [[p.number, p.title, p.proposer.name, p.submitted_on, p.get_outcome_display(), p.reason,
                    p.referred_to.name if p.referred_to else "",
                    p.follow_up.timer.deadline if p.follow_up else None,
                    p.follow_up.get_state_display() if p.follow_up else ""] for p in items])
    if (exported := export_response(request, [table])) is not None:
        return exported
    return render(request, "councils/meeting.html", {
        "meeting": meeting, "proposals": items, "minutes_form": minutes, "proposal_form": proposal,
        "decision": forms_given.get("decision") or _decision_form(meeting), "failed": failed,
        "import_form": forms_given.get("upload") or ImportForm(), "import_errors": forms_given.get("import_errors"),
        "pending": any(p.outcome == Outcome.PENDING for p in items), "publish_error": forms_given.get("publish_error"),
    }, status=status)


@require_roles(*COUNCIL_ROLES)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request.user, pk))


@require_roles(*COUNCIL_ROLES)
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    m = _meeting(request.user, pk)
    if request.method != "POST":
        return redirect("councils:meeting", m.pk)
    if action == "minutes":
        form: forms.Form = MinutesForm(request.POST)
        cast(forms.ModelChoiceField, form.fields["attendees"]).queryset = m.council.members.all()
        if form.is_valid() and attempt(form, lambda: meetings.record_minutes(
                m, minutes=form.cleaned_data["minutes"], attendees=list(form.cleaned_data["attendees"]),
                actor=request.user)):
            return redirect("councils:meeting", m.pk)
        return _meeting_page(request, m, minutes=form, status=422)
    if action == "propose":
        form = ProposalForm(request.POST)
        cast(forms.ModelChoiceField, form.fields["proposer"]).queryset = m.council.members.all()
        if form.is_valid() and attempt(form, lambda: proposals.submit(m, actor=request.user, **form.cleaned_data)):
            return redirect("councils:meeting", m.pk)
        return _meeting_page(request, m, proposal=form, status=422)
    if action == "import":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                import_proposals(form.cleaned_data["file"], m, actor=request.user)
                return redirect("councils:meeting", m.pk)
            except ImportFailed as exc:
                return _meeting_page(request, m, upload=form, import_errors=exc.errors, status=422)
        return _meeting_page(request, m, upload=form, status=422)
    if action == "publish":
        form = forms.Form()
        if attempt(form, lambda: meetings.publish(m, actor=request.user)):
            return redirect("councils:meeting", m.pk)
        return _meeting_page(request, m, publish_error=form.non_field_errors(), status=422)
    raise Http404


@require_roles(*COUNCIL_ROLES)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(restrict(Proposal.objects.select_related("meeting__council__unit"), request.user, "change"),
                          pk=pk)
    if request.method != "POST":
        return redirect("councils:meeting", p.meeting_id)
    form = _decision_form(p.meeting, request.POST)
    if form.is_valid() and attempt(form, lambda: proposals.decide(p, actor=request.user, **form.cleaned_data)):
        return redirect("councils:meeting", p.meeting_id)
    return _meeting_page(request, p.meeting, decision=form, failed=p.pk, status=422)


def _issue_context(m: Meeting) -> dict:
    return {"meeting": m, "proposals": m.proposals.select_related("proposer", "referred_to").order_by("number")}


@require_roles(*COUNCIL_ROLES)
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(restrict(Meeting.objects.select_related("council__unit"), request.user), pk=pk)
    return render(request, "councils/issue.html", _issue_context(m))


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """Open to all: only a published quarter, only what the paper prints."""
    m = get_object_or_404(Meeting.objects.select_related("council__unit").exclude(published_at=None), pk=pk)
    return render(request, "councils/public.html", _issue_context(m))


def public_index(request: HttpRequest) -> HttpResponse:
    """Open to all: the published quarters, newest first."""
    published = Meeting.objects.select_related("council").exclude(published_at=None).order_by("-year", "-quarter",
                                                                                             "council__unit__path")
    return render(request, "councils/public_index.html", {"meetings": published[:100]})
