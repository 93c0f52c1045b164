"""Sign-in, sign-out and the personal start page listing the screens a person may open."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yizhan.org.models import Role
from yizhan.ui.access import holds_any
from yizhan.ui.nav import items_for


class LoginView(auth_views.LoginView):
    template_name = "ui/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "ui:login"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    items = items_for(request.user)
    return render(request, "ui/dashboard.html", {
        "staff_items": [i for i in items if not i["public"]],
        "public_items": [i for i in items if i["public"]],
        "holds_role": holds_any(request.user, Role.values),
    })
