from django.core.management.base import BaseCommand, CommandError

from api import services
from tenants.models import Province


class Command(BaseCommand):
    help = (
        "Issue an API token for /graphql/: national, or for one province (--province)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="What the token is for.")
        parser.add_argument("--province", help="Slug of the province it may read.")
        parser.add_argument("--by", default="ketnoi command", help="Who issues it.")

    def handle(self, *args, name: str, province: str | None, by: str, **options):
        target = None
        if province:
            target = Province.objects.filter(
                slug=province, kind=Province.Kind.PROVINCE
            ).first()
            if target is None:
                raise CommandError(f'Unknown province: "{province}".')
        _token, raw = services.issue_token(province=target, name=name, actor=by)
        self.stdout.write(raw)
