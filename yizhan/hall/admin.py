"""Admin screens of the hall. Cases, notices and refusals are read-only here: their state changes go
through the service functions (and their rules), never through a form that edits a column.

Every list and page is cut to the viewer's scope (`yizhan.org.admin_scope`), every edit is audited
(`yizhan.audit.admin_log`), and personal data is masked (`yizhan.audit.privacy`) except on a case's
own page, where each view of it unmasked is audited."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yizhan.audit.admin_privacy import MaskedAdminMixin, RevealingAdminMixin, masked_names
from yizhan.audit.admin_tools import AuditedAdmin, ReadOnlyInline, audit_history
from yizhan.audit.admin_tools import local_time as _local
from yizhan.clock.warnings import Level
from yizhan.errors import RuleError
from yizhan.hall.catalog_csv import export_catalog
from yizhan.hall.early_warnings import case_levels
from yizhan.hall.green_channel import green_first
from yizhan.hall.models import (
    Appointment,
    Case,
    CaseMaterial,
    Commitment,
    Complaint,
    Consultation,
    Material,
    Matter,
    Notice,
    NoticeItem,
    QueueGroup,
    Rating,
    Rectification,
    Referral,
    Refusal,
    RefusalState,
    StaffProfile,
)
from yizhan.hall.notices import render_notice
from yizhan.hall.pauses import pauses_of
from yizhan.hall.refusals import confirm_refusal
from yizhan.org.admin_scope import ScopedAdminMixin
from yizhan.org.models import Role
from yizhan.ui.access import holds_any


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 1
    fields = ("sort", "name", "form", "copies", "requirement", "condition")


@admin.register(Matter)
class MatterAdmin(AuditedAdmin):
    list_display = ("code", "name", "department", "kind", "promised_days", "statutory_days", "green_channel",
                    "green_channel_days", "active")
    list_filter = ("kind", "green_channel", "active", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "legal_basis")
    filter_horizontal = ("windows",)
    inlines = [MaterialInline]
    actions = ["export_csv"]

    @admin.action(description=_("导出所选事项为 CSV"))
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="catalog.csv"'
        response.write("\ufeff")  # lets spreadsheet programs recognise UTF-8
        export_catalog(response, queryset)
        return response


class LevelFilter(admin.SimpleListFilter):
    title = _("预警级别")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(lv.value, lv.label) for lv in (Level.YELLOW, Level.RED, Level.OVERDUE)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        worst = case_levels(levels=(self.value(),))
        return queryset.filter(pk__in=list(worst))


class CaseMaterialInline(ReadOnlyInline):
    model = CaseMaterial
    fields = ("material", "applicable", "received_at", "copies", "received_by")
    readonly_fields = fields


def _print_link(notice: Notice) -> str:
    return format_html('<a href="{}" target="_blank">{}</a>',
                       reverse("admin:hall_notice_print", args=[notice.pk]), _("打印告知书"))


class NoticeInline(ReadOnlyInline):
    model = Notice
    fields = ("seq", "state", "issued_at", "issued_by", "satisfied_at", "override_reason", "override_by", "printable")
    readonly_fields = fields

    @admin.display(description=_("打印"))
    def printable(self, obj: Notice) -> str:
        return _print_link(obj)


class RefusalInline(ReadOnlyInline):
    model = Refusal
    fields = ("kind", "state", "reason", "legal_basis", "requested_by", "requested_at", "reviewed_by",
              "reviewed_at", "review_note")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(RevealingAdminMixin, ScopedAdminMixin, AuditedAdmin):
    list_display = ("case_no", "green_badge", "matter", "window", "handler", "state", "outcome", "received_at",
                    "promised_deadline")
    list_filter = ("state", "green_channel", "channel", LevelFilter, ("window", admin.RelatedOnlyFieldListFilter),
                   ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("case_no", "applicant_name", "applicant_id", "matter__code", "matter__name")
    list_select_related = ("matter", "window", "handler", "promised_timer")
    inlines = [CaseMaterialInline, NoticeInline, RefusalInline]
    exclude = ("promised_timer", "statutory_timer", "notice_timer")
    readonly_fields = ("timers", "pauses", "history")

    def get_queryset(self, request):
        return green_first(super().get_queryset(request), "-received_at", "-id")

    def get_readonly_fields(self, request, obj=None):
        own = [f.name for f in Case._meta.fields if f.name not in self.exclude and f.name != "id"]
        return [*own, *self.readonly_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("绿色通道"), ordering="-green_channel")
    def green_badge(self, obj: Case) -> str:
        return format_html('<b style="color:green">{}</b>', obj.green_project or _("是")) if obj.green_channel else ""

    @admin.display(description=_("承诺到期"), ordering="promised_timer__deadline")
    def promised_deadline(self, obj: Case) -> str:
        return _local(obj.promised_timer.deadline) if obj.promised_timer else "—"

    @admin.display(description=_("计时"))
    def timers(self, obj: Case) -> str:
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((t.purpose, str(t.limit), _local(t.deadline), _local(t.stopped_at), t.level().label)
             for t in (obj.notice_timer, obj.promised_timer, obj.statutory_timer) if t is not None),
        )
        return format_html("<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
                           _("用途"), _("时限"), _("到期"), _("结束"), _("级别"), rows)

    @admin.display(description=_("暂停计时"))
    def pauses(self, obj: Case) -> str:
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
            (p["reason_label"], p["note"], _local(p["started_at"]), _local(p["ended_at"])) for p in pauses_of(obj)))
        return format_html("<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
                           _("原因"), _("说明"), _("开始"), _("恢复"), rows)

    @admin.display(description=_("操作记录"))
    def history(self, obj: Case) -> str:
        return audit_history(Case._meta.label_lower, obj.pk)


class NoticeItemInline(ReadOnlyInline):
    model = NoticeItem
    fields = ("name", "form", "copies", "condition")
    readonly_fields = fields


@admin.register(Notice)
class NoticeAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("case", "seq", "state", "issued_at", "issued_by", "printable")
    list_filter = ("state",)
    search_fields = ("case__case_no",)
    inlines = [NoticeItemInline]
    readonly_fields = ("case", "seq", "state", "issued_at", "issued_by", "satisfied_at", "override_reason",
                       "override_by", "printable")

    def get_queryset(self, request):
        return green_first(super().get_queryset(request).select_related("case"), "-issued_at", prefix="case__")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("打印"))
    def printable(self, obj: Notice) -> str:
        return _print_link(obj)

    def get_urls(self):
        return [
            path("<int:pk>/print/", self.admin_site.admin_view(self.print_view), name="hall_notice_print"),
            *super().get_urls(),
        ]

    def print_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = get_object_or_404(Notice.objects.select_related("case__matter", "case__window", "case__department"),
                                   pk=pk)
        if not self.has_view_permission(request, notice):
            return HttpResponse(status=403)
        return HttpResponse(render_notice(notice))


@admin.register(Refusal)
class RefusalAdmin(ScopedAdminMixin, AuditedAdmin):
    list_display = ("case", "kind", "state", "requested_by", "requested_at", "reviewed_by", "reviewed_at")
    list_filter = ("state", "kind")
    search_fields = ("case__case_no", "reason")
    readonly_fields = [f.name for f in Refusal._meta.fields if f.name != "id"] + ["history"]
    actions = ["confirm"]

    def get_queryset(self, request):
        return green_first(super().get_queryset(request).select_related("case"), "-requested_at", prefix="case__")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("操作记录"))
    def history(self, obj: Refusal) -> str:
        return audit_history(Case._meta.label_lower, obj.case_id)

    @admin.action(description=_("把关确认所选否办意见"))
    def confirm(self, request: HttpRequest, queryset) -> None:
        done = 0
        for refusal in queryset.filter(state=RefusalState.PENDING):
            try:
                confirm_refusal(refusal, by=request.user)
                done += 1
            except RuleError as exc:
                self.message_user(request, f"{refusal.case.case_no}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, _("已确认 %(n)d 件") % {"n": done}, messages.SUCCESS)


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ("seq", "from_window", "from_officer", "to_window", "to_officer", "note", "referred_at")
    readonly_fields = fields


@admin.register(Consultation)
class ConsultationAdmin(MaskedAdminMixin, ScopedAdminMixin, AuditedAdmin):
    list_display = ("asked_at", "asker_name", "window", "first_officer", "current_window", "state", "answered_at")
    list_filter = ("state", ("window", admin.RelatedOnlyFieldListFilter),
                   ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("asker_name", "question", "answer")
    inlines = [ReferralInline]
    readonly_fields = [f.name for f in Consultation._meta.fields if f.name != "id"] + ["history"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("操作记录"))
    def history(self, obj: Consultation) -> str:
        return audit_history(Consultation._meta.label_lower, obj.pk)


@admin.register(Complaint)
class ComplaintAdmin(MaskedAdminMixin, ScopedAdminMixin, AuditedAdmin):
    list_display = ("received_at", "complainant", "channel", "window", "staff", "case", "state", "finding",
                    "replied_at")
    list_filter = ("state", "finding", "channel", ("window", admin.RelatedOnlyFieldListFilter),
                   ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("complainant", "content", "case__case_no", "staff__badge_no")
    readonly_fields = [f.name for f in Complaint._meta.fields if f.name != "id"] + ["history"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("操作记录"))
    def history(self, obj: Complaint) -> str:
        return audit_history(Complaint._meta.label_lower, obj.pk)


class ScopedAdmin(ScopedAdminMixin, AuditedAdmin):
    """Rows in the user's scope only (`yizhan.org.admin_scope`), edits audited."""


class ReadOnlyAdmin(ScopedAdmin):
    """Rows whose changes go through service functions: shown with their history, never edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("操作记录"))
    def history(self, obj) -> str:
        return audit_history(obj._meta.label_lower, obj.pk)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 1
    fields = ("sort", "text", "posted_on", "active")


def sees_work_phones(request: HttpRequest) -> bool:
    """Staff work phones are shown in full to the administrator (and superusers) only."""
    return holds_any(request.user, (Role.ADMINISTRATOR,))


@admin.register(StaffProfile)
class StaffProfileAdmin(MaskedAdminMixin, ScopedAdmin):
    """Work phones are masked like the applicants' (`yizhan.audit.privacy`), in the list and on the page,
    except to the administrator, who keeps them up to date."""

    list_display = ("badge_no", "name", "user", "unit", "phone")
    search_fields = ("badge_no", "name", "user__username")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter),)
    inlines = [CommitmentInline]

    def get_exclude(self, request: HttpRequest, obj=None):
        if sees_work_phones(request):
            return super(MaskedAdminMixin, self).get_exclude(request, obj)
        return super().get_exclude(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if sees_work_phones(request):
            return super(MaskedAdminMixin, self).get_readonly_fields(request, obj)
        return (*super().get_readonly_fields(request, obj), *masked_names(self.model, ["phone"]))

    def get_list_display(self, request: HttpRequest):
        if sees_work_phones(request):
            return super(MaskedAdminMixin, self).get_list_display(request)
        return super().get_list_display(request)


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin):
    """公开承诺: text only (no photo), with the badge number, posted on the wall and the hall's board."""

    list_display = ("staff", "text", "posted_on", "active", "sort")
    list_filter = ("active",)
    list_editable = ("active", "sort")
    search_fields = ("text", "staff__badge_no", "staff__name")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("rated_at", "case", "score", "source", "window", "department")
    list_filter = ("score", "source", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("case__case_no", "comment")
    readonly_fields = [f.name for f in Rating._meta.fields if f.name != "id"] + ["history"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("opened_at", "rating", "department", "state", "deadline", "resolution", "closed_at")
    list_filter = ("state", "resolution", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("rating__case__case_no",)
    readonly_fields = [f.name for f in Rectification._meta.fields if f.name != "id"] + ["deadline", "history"]

    @admin.display(description=_("整改期限"))
    def deadline(self, obj: Rectification) -> str:
        return _local(obj.timer.deadline)


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "booking_no", "slot", "matter", "window", "state", "case")
    list_filter = ("slot", "state", ("window", admin.RelatedOnlyFieldListFilter))
    search_fields = ("booking_no", "case__case_no")
    date_hierarchy = "starts_at"
    readonly_fields = [f.name for f in Appointment._meta.fields if f.name != "id"] + ["history"]


from yizhan.hall.admin_stats import install as install_stats_page  # noqa: E402  (needs the classes above)


@admin.register(QueueGroup)
class QueueGroupAdmin(ScopedAdminMixin, AuditedAdmin):
    """The kiosk's matter groups: their letter, the windows that call them and the matters they cover."""

    list_display = ("letter", "name", "unit", "active", "sort")
    list_filter = ("active",)
    filter_horizontal = ("windows", "matters")


install_stats_page(admin.site)
