"""What each province group may do with the network in the Wagtail admin."""

from django.contrib.auth.models import Group, Permission

from tenants import roles

MODELS = ("orgunit", "member", "pickuppoint", "supportgroup")
# Nothing is deleted from the network: units and members are deactivated, so
# orders and the audit trail keep pointing at them.
ACTIONS = ("add", "change", "view")


def grant_role_permissions(group_model=Group, permission_model=Permission) -> None:
    """Give union staff and province administrators the network screens.

    Idempotent; provisioning calls it through `tenants.services.ensure_groups`,
    and the app's data migration calls it with historical models.
    """
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    codenames.append("view_auditentry")
    permissions = list(
        permission_model.objects.filter(
            content_type__app_label="network", codename__in=codenames
        )
    )
    for group in group_model.objects.filter(name__in=roles.ADMIN_GROUPS):
        group.permissions.add(*permissions)
