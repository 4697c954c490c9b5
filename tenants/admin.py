from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Application, ApplicationEvent, Domain, Province

admin.site.site_header = _("Kết Nối — national administration")
admin.site.site_title = _("Kết Nối national administration")
admin.site.index_title = _("Provinces and applications")


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "province_code",
        "status",
        "site_link",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["name", "slug", "schema_name"]
    readonly_fields = ["schema_name", "kind", "created_at"]
    inlines = [DomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=Province.Kind.PROVINCE)

    @admin.display(description=_("Site"))
    def site_link(self, province: Province) -> str:
        return format_html('<a href="{0}">{0}</a>', province.url)

    def has_add_permission(self, request) -> bool:
        # Provinces are made by approving an application, never by hand.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "detail", "at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "union_name",
        "province_code",
        "subdomain",
        "contact_name",
        "email",
        "status",
        "created_at",
    ]
    list_filter = ["status", "province_code"]
    search_fields = ["union_name", "subdomain", "email", "contact_name"]
    readonly_fields = [
        "status",
        "failure_reason",
        "province",
        "decided_by",
        "decided_at",
        "created_at",
        "provisioned_at",
        "provisioning_seconds",
    ]
    inlines = [ApplicationEventInline]
    actions = ["approve", "reject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Approve and provision (or retry)"))
    def approve(self, request, queryset):
        approved = 0
        for application in queryset:
            try:
                services.approve_application(
                    application=application, actor=request.user
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{application}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application approved; provisioning has started.",
                    "%(count)d applications approved; provisioning has started.",
                    approved,
                )
                % {"count": approved},
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject (asks for a reason)"))
    def reject(self, request, queryset):
        """Ask for the reason first; the applicants receive it by email."""
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/tenants/application/reject.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reject applications"),
                    "applications": queryset,
                    "form": form,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        rejected = 0
        for application in queryset:
            try:
                services.reject_application(
                    application=application,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{application}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                rejected += 1
        if rejected:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application rejected; the applicant was told why.",
                    "%(count)d applications rejected; the applicants were told why.",
                    rejected,
                )
                % {"count": rejected},
                messages.SUCCESS,
            )
        return None


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason given to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": _("Give the applicant a reason for the rejection.")
        },
    )
