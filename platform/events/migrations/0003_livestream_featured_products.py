"""A livestream's featured products become a relation to catalog products."""

from django.db import migrations, models


def link_products(apps, schema_editor):
    Livestream = apps.get_model("events", "Livestream")
    Product = apps.get_model("catalog", "Product")
    for stream in Livestream.objects.exclude(featured_product_ids=[]):
        ids = [pk for pk in stream.featured_product_ids if isinstance(pk, int)]
        # Ids of products deleted since have nothing left to point at.
        stream.featured_products.set(Product.objects.filter(pk__in=ids))


def unlink_products(apps, schema_editor):
    Livestream = apps.get_model("events", "Livestream")
    for stream in Livestream.objects.all():
        stream.featured_product_ids = sorted(
            stream.featured_products.values_list("pk", flat=True)
        )
        stream.save(update_fields=["featured_product_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_trigram_cost"),
        ("events", "0002_booth_producer_relations"),
    ]

    operations = [
        migrations.AddField(
            model_name="livestream",
            name="featured_products",
            field=models.ManyToManyField(
                blank=True,
                related_name="livestreams",
                to="catalog.product",
                verbose_name="featured products",
            ),
        ),
        migrations.RunPython(link_products, unlink_products),
        migrations.RemoveField(model_name="livestream", name="featured_product_ids"),
    ]
