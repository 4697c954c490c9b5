from django.db import migrations


def create_home_page(apps, schema_editor):
    """Replace Wagtail's welcome page with the province's starter home page."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, content_type__model="page").delete()
    content_type, _created = ContentType.objects.get_or_create(
        model="homepage", app_label="cms"
    )
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Kết Nối",
        draft_title="Kết Nối",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
