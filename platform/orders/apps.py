from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Sales rounds and orders")
    default_auto_field = "django.db.models.BigAutoField"

    def grant_role_permissions(self) -> None:
        from django.contrib.auth.models import Group, Permission

        from tenants import roles

        permissions = Permission.objects.filter(content_type__app_label="orders")
        for group in Group.objects.filter(name__in=roles.ADMIN_GROUPS):
            group.permissions.add(*permissions)
