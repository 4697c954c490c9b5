from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    from network.permissions import grant_role_permissions

    # Permissions are normally made after the last migration; the groups of an
    # existing province need them now.
    config = apps.get_app_config("network")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    grant_role_permissions(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
