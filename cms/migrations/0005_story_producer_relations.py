"""Producer stories point at catalog producers and products instead of ids.

Stories written before could only name their producer, so a story without an
id is linked to the producer of that exact name when there is only one; the
typed name stays as the fallback for stories left without a record.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


def link_producers_and_products(apps, schema_editor):
    Story = apps.get_model("cms", "ProducerStoryPage")
    Producer = apps.get_model("catalog", "Producer")
    Product = apps.get_model("catalog", "Product")
    Through = Story.products.through
    known = set(Producer.objects.values_list("pk", flat=True))
    by_name = {}
    for pk, name in Producer.objects.values_list("pk", "name"):
        by_name.setdefault(name.strip().casefold(), []).append(pk)
    for story in Story.objects.all():
        producer = story.legacy_producer_id
        if producer not in known:
            named = by_name.get(story.producer_name.strip().casefold(), [])
            producer = named[0] if len(named) == 1 else None
        if producer is not None:
            Story.objects.filter(pk=story.pk).update(producer_id=producer)
        ids = [pk for pk in story.product_ids if isinstance(pk, int)]
        Through.objects.bulk_create(
            Through(producerstorypage_id=story.pk, product_id=pk)
            for pk in Product.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )


def unlink(apps, schema_editor):
    Story = apps.get_model("cms", "ProducerStoryPage")
    Through = Story.products.through
    for story in Story.objects.all():
        ids = Through.objects.filter(producerstorypage_id=story.pk).values_list(
            "product_id", flat=True
        )
        Story.objects.filter(pk=story.pk).update(
            legacy_producer_id=story.producer_id, product_ids=sorted(ids)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_trigram_cost"),
        ("cms", "0004_staff_permissions"),
    ]

    operations = [
        migrations.RenameField(
            model_name="producerstorypage",
            old_name="producer_id",
            new_name="legacy_producer_id",
        ),
        migrations.AddField(
            model_name="producerstorypage",
            name="producer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stories",
                to="catalog.producer",
                verbose_name="producer",
            ),
        ),
        migrations.AddField(
            model_name="producerstorypage",
            name="products",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                related_name="stories",
                to="catalog.product",
                verbose_name="products",
            ),
        ),
        migrations.AlterField(
            model_name="producerstorypage",
            name="producer_name",
            field=models.CharField(
                blank=True,
                help_text="Only needed when the producer is not in the catalog.",
                max_length=200,
                verbose_name="producer's name without a record",
            ),
        ),
        migrations.RunPython(link_producers_and_products, unlink),
        migrations.RemoveField(
            model_name="producerstorypage", name="legacy_producer_id"
        ),
        migrations.RemoveField(model_name="producerstorypage", name="product_ids"),
    ]
