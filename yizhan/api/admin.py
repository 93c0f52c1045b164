from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yizhan.api.models import ApiToken
from yizhan.api.tokens import create_token, revoke_token
from yizhan.audit.admin_log import AuditedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username", "prefix")
    autocomplete_fields = ("user",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "name")
        return ("user", "name", "prefix", "created", "last_used", "revoked")

    def get_readonly_fields(self, request, obj=None):
        # A token is never edited: it is created, used and revoked.
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay listed, so who had access when remains visible.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = create_token(obj.user, obj.name, actor=request.user)
        obj.pk, obj.prefix, obj.key_hash, obj.created = token.pk, token.prefix, token.key_hash, token.created
        request._api_token_key = key

    def response_add(self, request, obj, post_url_continue=None):
        # The key is shown in this one response and never again (only its digest is stored).
        return TemplateResponse(request, "yizhan/api_token_created.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("接口令牌已创建"),
            "token": obj,
            "key": request._api_token_key,
        })

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked__isnull=True):
            revoke_token(token, actor=request.user)
            count += 1
        self.message_user(request, ngettext("已吊销 %(n)d 个令牌", "已吊销 %(n)d 个令牌", count) % {"n": count},
                          messages.SUCCESS)
