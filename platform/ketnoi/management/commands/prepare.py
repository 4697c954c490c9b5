from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from psycopg import sql

from ketnoi.translations import compile_translations
from tenants.models import Province
from tenants.services import ensure_platform, restore_constraint_names


class Command(BaseCommand):
    help = (
        "Bring the database up to date: shared schema, national tenant, template "
        "schema and every province. Safe to run again."
    )

    def handle(self, *args, **options):
        compile_translations()
        self.create_database()
        verbosity = options["verbosity"]
        call_command(
            "migrate_schemas", shared=True, interactive=False, verbosity=verbosity
        )
        ensure_platform()
        call_command(
            "migrate_schemas", tenant=True, interactive=False, verbosity=verbosity
        )
        for schema in Province.objects.filter(kind=Province.Kind.PROVINCE).values_list(
            "schema_name", flat=True
        ):
            restore_constraint_names(settings.TENANT_BASE_SCHEMA, schema)
        self.stdout.write(self.style.SUCCESS("Database ready."))

    def create_database(self) -> None:
        """Create the database DATABASE_URL names when the server lacks it."""
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.stdout.write(f"Created database {name}.")
