from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Union network")
    default_auto_field = "django.db.models.BigAutoField"

    def grant_role_permissions(self) -> None:
        from .permissions import grant_role_permissions

        grant_role_permissions()
