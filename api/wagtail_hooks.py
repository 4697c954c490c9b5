"""The province admin's screen for API tokens of the national reporting API."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ketnoi.access import is_staff

from . import admin_views


@hooks.register("register_admin_urls")
def register_token_urls():
    return [
        path("api-tokens/", admin_views.token_list, name="api_tokens"),
        path(
            "api-tokens/<int:token_id>/revoke/",
            admin_views.token_revoke,
            name="api_token_revoke",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_staff(request.user)


@hooks.register("register_settings_menu_item")
def register_token_menu_item():
    return StaffMenuItem(
        _("API tokens (reports)"), reverse("api_tokens"), icon_name="key", order=900
    )
