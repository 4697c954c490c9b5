from django.contrib import admin, messages
from django.core.exceptions import ValidationError
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

    @admin.action(description=_("Reject"))
    def reject(self, request, queryset):
        for application in queryset:
            try:
                services.reject_application(application=application, actor=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{application}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
