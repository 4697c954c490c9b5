from django.core.management import call_command
from django.core.management.base import BaseCommand

from ketnoi.translations import compile_translations
from tenants.services import ensure_platform


class Command(BaseCommand):
    help = (
        "Bring the database up to date: shared schema, national tenant, template "
        "schema and every province. Safe to run again."
    )

    def handle(self, *args, **options):
        compile_translations()
        verbosity = options["verbosity"]
        call_command(
            "migrate_schemas", shared=True, interactive=False, verbosity=verbosity
        )
        ensure_platform()
        call_command(
            "migrate_schemas", tenant=True, interactive=False, verbosity=verbosity
        )
        self.stdout.write(self.style.SUCCESS("Database ready."))
