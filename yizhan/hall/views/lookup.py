"""The applicant's lookup `/lookup/` (no sign-in, phone-sized) and rating, from the lookup or from the
QR code on the completion notice (`/lookup/rate/<token>/`)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from yizhan.errors import RuleError
from yizhan.hall import lookup, ratings
from yizhan.hall.lookup import TooManyTries
from yizhan.hall.models import RatingSource, Score
from yizhan.ui.forms import attempt


class LookupForm(forms.Form):
    case_no = forms.CharField(label=_("办件编号"), max_length=40)
    last4 = forms.CharField(label=_("手机号或证件号码后四位"), min_length=4, max_length=4,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("评价"), choices=Score.choices, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _status(exc: RuleError) -> int:
    return 429 if isinstance(exc, TooManyTries) else 200


def lookup_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the case (or the error). POST with a score: rate, then show the case."""
    form = LookupForm(request.POST or None)
    rating_form = RatingForm(request.POST if "score" in request.POST else None)
    view, rated, status = None, None, 200
    if request.method == "POST" and form.is_valid():
        client = lookup.client_address(request)
        case_no, last4 = form.cleaned_data["case_no"], form.cleaned_data["last4"]
        try:
            case = lookup.find_case(case_no, last4, client=client)
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = _status(exc)
        else:
            if rating_form.is_bound and rating_form.is_valid():
                rated = attempt(rating_form, lambda: ratings.rate_case(
                    case, score=rating_form.cleaned_data["score"], comment=rating_form.cleaned_data["comment"],
                    source=RatingSource.LOOKUP))
            view = lookup.public_view(case)
    if view is not None and (rated is not None or not rating_form.is_bound):
        rating_form = RatingForm()
    return render(request, "hall/service/lookup.html", {
        "form": form, "view": view, "rating_form": rating_form, "rated": rated, "token": "",
    }, status=status)


def rate_by_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code's page: the case it names, and the rating form while it may still be rated."""
    rating_form = RatingForm(request.POST or None)
    rated = None
    try:
        case = ratings.case_for_token(token)
    except RuleError as exc:
        return render(request, "hall/service/lookup.html", {"form": LookupForm(), "error": exc.message,
                                                            "view": None}, status=404)
    if request.method == "POST" and rating_form.is_valid():
        rated = attempt(rating_form, lambda: ratings.rate_by_token(
            token, score=rating_form.cleaned_data["score"], comment=rating_form.cleaned_data["comment"]))
        if rated is not None:
            rating_form = RatingForm()
    return render(request, "hall/service/lookup.html", {
        "form": None, "view": lookup.public_view(case), "rating_form": rating_form, "rated": rated, "token": token,
    })
