from django.core.management.base import BaseCommand

from ketnoi.translations import compile_translations


class Command(BaseCommand):
    help = "Compile the project's Vietnamese translations (.po to .mo)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        count = compile_translations(force=force)
        self.stdout.write(f"Compiled {count} translation file(s).")
