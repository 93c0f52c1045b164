"""Personal data in the admin: `MaskedAdminMixin` shows a model's personal fields (`yizhan.audit.privacy`)
masked in its list and on its page, and never as an editable input. `RevealingAdminMixin` is for the
one page that shows them in full — a case to staff in its scope — and audits each view."""

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from yizhan.audit.privacy import masked_value, personal_fields, record_reveal

if TYPE_CHECKING:  # the admin class these mixins are put before
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


@cache  # the admin compares read-only fields by identity between its calls
def masked_column(model, name: str) -> Callable[[Any], str]:
    def column(obj: Any) -> str:
        return masked_value(obj, name)

    column.__name__ = f"{name}_masked"
    return admin.display(description=model._meta.get_field(name).verbose_name)(column)


def masked_names(model, names) -> list:
    """`names` (of list columns or read-only fields) with each personal field replaced by its mask."""
    private = personal_fields(model)
    return [masked_column(model, n) if isinstance(n, str) and n in private else n for n in names]


class MaskedAdminMixin(_ModelAdmin):

    def get_exclude(self, request: HttpRequest, obj: Any = None):
        return (*(super().get_exclude(request, obj) or ()), *personal_fields(self.model))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return masked_names(self.model, super().get_readonly_fields(request, obj))

    def get_list_display(self, request: HttpRequest):
        return masked_names(self.model, super().get_list_display(request))


class RevealingAdminMixin(_ModelAdmin):
    """The model's personal fields are shown in full on its change page (which the scope already
    limits to staff in scope); every such view is an audit event."""

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None and response.status_code == 200:
            record_reveal(request.user, original, list(personal_fields(original)), via="admin")
        return response

    def get_list_display(self, request: HttpRequest):
        return masked_names(self.model, super().get_list_display(request))
