"""Give union staff the catalog screens of the admin.

New provinces are clones of the template schema, so the group and its
permissions made here in the template travel to every new province, and
`tenants.services.ensure_groups` later finds the group already there.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = "Cán bộ Hội"
STAFF_CODENAMES = [
    f"{action}_{model}"
    for model in ("producer", "certificate", "product", "productchange", "category")
    for action in ("add", "change", "view")
] + ["delete_category", "view_auditentry"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make this app's now.
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=STAFF)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="catalog", codename__in=STAFF_CODENAMES
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
