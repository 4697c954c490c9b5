"""National staff issue, list and revoke national API tokens in /admin/.

Issuing goes through a page of its own, not the model form: the token is
rendered once in that response and stored only as a digest, never put in a
message or the session. Revoking is an action; tokens are never deleted, so
their audit trail stays.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiTokenEvent, NationalApiToken


class ApiTokenEventInline(admin.TabularInline):
    model = ApiTokenEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["action", "actor", "actor_schema", "at"]
    verbose_name = _("event")
    verbose_name_plural = _("events")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NationalApiToken)
class NationalApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix_shown", "created_at", "last_used_at", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    fields = readonly_fields = [
        "name",
        "prefix_shown",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    inlines = [ApiTokenEventInline]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(province__isnull=True)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("prefix"))
    def prefix_shown(self, token: NationalApiToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description=_("status"))
    def state(self, token: NationalApiToken) -> str:
        return _("Active") if token.is_active else _("Revoked")

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)
        name = ""
        new_token = None
        if request.method == "POST":
            name = request.POST.get("name", "")
            try:
                _token, new_token = services.issue_token(
                    province=None, name=name, actor=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Issue a national API token"),
            "name": name,
            "new_token": new_token,
        }
        return TemplateResponse(
            request, "admin/api/nationalapitoken/issue.html", context
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        revoked = 0
        for token in queryset:
            try:
                services.revoke_token(token=token, actor=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{token}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                revoked += 1
        if revoked:
            self.message_user(
                request,
                ngettext(
                    "%(count)d token revoked.", "%(count)d tokens revoked.", revoked
                )
                % {"count": revoked},
                messages.SUCCESS,
            )
        return None
