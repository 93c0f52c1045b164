"""Screens of the training officer: sessions (held, with their topics and attendance), entering a
session's attendance and scores, the online platform's import, and a person's record."""

from typing import cast

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from yizhan.errors import ImportFailed, RuleError
from yizhan.org.scope import CHANGE, restrict
from yizhan.training import records, sessions
from yizhan.training.models import TRAINING_ROLES, Course, Session, Trainee
from yizhan.training.online_csv import import_completions
from yizhan.ui.access import require_roles
from yizhan.ui.forms import DateField, attempt


class SessionForm(forms.Form):
    course: forms.ModelChoiceField = forms.ModelChoiceField(label=_("课程"), queryset=None)
    date = DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("培训主题"), max_length=200)
    trainer = forms.CharField(label=_("授课人"), max_length=100)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=24, decimal_places=1)
    topics = forms.CharField(label=_("涵盖专题（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["course"]).queryset = restrict(Course.objects.all(), user, CHANGE)


class OnlineForm(forms.Form):
    file = forms.FileField(label=_("网上学习记录 CSV"))


def _list_page(request: HttpRequest, form=None, online=None, row_errors=None, status=200):
    qs = restrict(Session.objects.select_related("course").prefetch_related("topics"), request.user)
    return render(request, "training/sessions.html", {
        "sessions": qs[:300], "form": form or SessionForm(request.user), "online": online or OnlineForm(),
        "row_errors": row_errors, "done": request.GET.get("done")}, status=status)


@require_roles(*TRAINING_ROLES)
def session_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request)
    if request.POST.get("what") == "online":
        online = OnlineForm(request.POST, request.FILES)
        if not online.is_valid():
            return _list_page(request, online=online, status=422)
        courses = restrict(Course.objects.select_related("unit"), request.user, CHANGE)
        unit = courses.first().unit if courses.exists() else None
        try:
            if unit is None:
                raise RuleError(_("您没有可管理的单位"), field="file")
            result = import_completions(online.cleaned_data["file"], unit=unit, actor=request.user)
        except ImportFailed as exc:
            return _list_page(request, online=online, row_errors=exc.errors, status=422)
        except RuleError as exc:
            online.add_error("file", exc.message)
            return _list_page(request, online=online, status=422)
        return redirect(f"{request.path}?done={result}")
    form = SessionForm(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        session = attempt(form, lambda: sessions.hold_session(
            course=data["course"], day=data["date"], title=data["title"], trainer=data["trainer"], hours=data["hours"],
            topics=data["topics"].splitlines(), actor=request.user))
        if session:
            return redirect("training:session", session.pk)
    return _list_page(request, form=form, status=422)


@require_roles(*TRAINING_ROLES)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(restrict(Session.objects.select_related("course", "course__unit"), request.user),
                                pk=pk)
    # The people of the whole organisation the course's unit belongs to (a CDC's office trains all
    # of the CDC), as far as the officer's scope reaches.
    top = "/" + session.course.unit.path.strip("/").split("/")[0] + "/"
    people = restrict(Trainee.objects.filter(active=True, unit__path__startswith=top), request.user).order_by("code")
    lines = {a.trainee_id: a for a in session.attendances.all()}
    errors = []
    # What was typed, per person, shown again when the page is refused (nothing is saved then).
    entered: dict[int, dict] = {}
    if request.method == "POST":
        try:
            with transaction.atomic():
                for person in people:
                    attended = request.POST.get(f"attended-{person.pk}") == "on"
                    score = request.POST.get(f"score-{person.pk}", "").strip()
                    entered[person.pk] = {"attended": attended, "score": score}
                    if attended or score or person.pk in lines:
                        try:
                            sessions.record_attendance(session, person, attended=attended, score=score or None,
                                                       actor=request.user)
                        except RuleError as exc:
                            entered[person.pk]["error"] = exc.message
                            errors.append(f"{person.code} {person.name}：{exc.message}")
                if errors:
                    raise RuleError(_("有误，未保存"))
        except RuleError:
            pass
        else:
            return redirect("training:session", session.pk)
    return render(request, "training/session.html", {
        "session": session, "rows": [(p, lines.get(p.pk), entered.get(p.pk)) for p in people], "errors": errors},
        status=422 if errors else 200)


@require_roles(*TRAINING_ROLES)
def person(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    found = None
    if code:
        found = restrict(Trainee.objects.select_related("unit"), request.user).filter(code=code).first()
    return render(request, "training/person.html", {
        "code": code, "record": records.record_of(found) if found else None,
        "people": restrict(Trainee.objects.filter(active=True), request.user).order_by("code")[:500]},
        status=404 if code and not found else 200)
