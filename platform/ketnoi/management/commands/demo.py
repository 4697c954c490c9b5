import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from api.rollup import refresh_province
from ketnoi.demo_data import demo_emails, seed_province
from tenants.models import Province
from tenants.services import provision_province

DEMO_PASSWORD = "ketnoi-demo-2026"
NATIONAL_EMAIL = "quocgia@ketnoi.vn"
DEMO_PROVINCES = [
    ("hanoi", "Hội LHPN Thành phố Hà Nội", 1, "admin@hanoi.ketnoi.vn", "Nguyễn Thị Hà"),
    ("hue", "Hội LHPN Thành phố Huế", 46, "admin@hue.ketnoi.vn", "Trần Thị Hương"),
    ("hcm", "Hội LHPN Thành phố Hồ Chí Minh", 79, "admin@hcm.ketnoi.vn", "Lê Thị Mai"),
]


class Command(BaseCommand):
    help = (
        "Prepare demo provinces and accounts (idempotently), then serve the platform."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data and stop."
        )

    def handle(self, *args, port=8000, no_serve=False, **options):
        call_command("prepare", verbosity=0)
        self.ensure_national_staff()
        for slug, name, code, email, contact in DEMO_PROVINCES:
            province = provision_province(
                slug=slug,
                name=name,
                province_code=code,
                admin_email=email,
                admin_name=contact,
                admin_password=DEMO_PASSWORD,
            )
            started = time.monotonic()
            seed_province(province, password=DEMO_PASSWORD)
            # The national figures are rebuilt too, so a data folder kept from
            # an older version shows what today's code counts.
            refresh_province(province.schema_name)
            self.stdout.write(
                f"Demo data of {slug} ready in {time.monotonic() - started:.1f}s"
            )
        self.print_welcome(port)
        if not no_serve:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def ensure_national_staff(self) -> None:
        User = get_user_model()
        if not User.objects.filter(username=NATIONAL_EMAIL).exists():
            User.objects.create_superuser(
                username=NATIONAL_EMAIL, email=NATIONAL_EMAIL, password=DEMO_PASSWORD
            )

    def print_welcome(self, port: int) -> None:
        base = f"http://{settings.BASE_DOMAIN}:{port}"
        lines = [
            "",
            "Kết Nối demo",
            f"  National portal:   {base}/",
            f"  National admin:    {base}/admin/   {NATIONAL_EMAIL} / {DEMO_PASSWORD}",
            f"  National reports:  {base}/bao-cao/   GraphQL: {base}/graphql/",
            f"  Every demo account's password: {DEMO_PASSWORD}",
        ]
        for province in Province.objects.filter(kind=Province.Kind.PROVINCE):
            site = f"http://{province.host}:{port}/"
            admin_email = next(
                (
                    email
                    for slug, _n, _c, email, _p in DEMO_PROVINCES
                    if slug == province.slug
                ),
                "",
            )
            lines.append(f"  {province.name}:")
            lines.append(f"    site   {site}")
            if admin_email:
                lines.append(
                    f"    admin  {site}admin/   {admin_email} / {DEMO_PASSWORD}"
                )
                lines.extend(self.seeded_lines(province.slug, site))
        lines.append("")
        self.stdout.write("\n".join(lines))

    def seeded_lines(self, slug: str, site: str) -> list[str]:
        logins = demo_emails(slug)
        return [
            f"    products     {site}san-pham/",
            f"    order        {site}dat-hang/   member {logins.member_email}"
            f" or phone {logins.member_phone}",
            f"    coordinator  {site}portal/   {logins.coordinator}",
            f"    producer     {site}portal/nha-san-xuat/   {logins.producer}",
        ]
