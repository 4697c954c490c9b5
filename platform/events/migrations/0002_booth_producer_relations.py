"""Booths point at catalog producers and products instead of ids and a name."""

import django.db.models.deletion
from django.db import migrations, models


def link_producers_and_products(apps, schema_editor):
    Booth = apps.get_model("events", "Booth")
    Producer = apps.get_model("catalog", "Producer")
    Product = apps.get_model("catalog", "Product")
    known = set(Producer.objects.values_list("pk", flat=True))
    by_name = {}
    for pk, name in Producer.objects.values_list("pk", "name"):
        by_name.setdefault(name.strip().casefold(), []).append(pk)
    unmatched = []
    for booth in Booth.objects.all():
        producer = booth.legacy_producer_id
        if producer not in known:
            # Typed names match only when exactly one producer bears the name.
            named = by_name.get(booth.producer_name.strip().casefold(), [])
            producer = named[0] if len(named) == 1 else None
        if producer is None:
            unmatched.append(f"{booth.pk} ({booth.producer_name})")
            continue
        booth.producer_id = producer
        booth.save(update_fields=["producer"])
        ids = [pk for pk in booth.product_ids if isinstance(pk, int)]
        booth.products.set(Product.objects.filter(pk__in=ids))
    if unmatched:
        # Booths carry sales; guessing or dropping them would falsify reports.
        raise RuntimeError(
            "Booths without a catalog producer: "
            + ", ".join(unmatched)
            + ". Set their producer_id to a catalog.Producer id and migrate again."
        )


def unlink(apps, schema_editor):
    Booth = apps.get_model("events", "Booth")
    for booth in Booth.objects.select_related("producer"):
        booth.legacy_producer_id = booth.producer_id
        booth.producer_name = booth.producer.name
        booth.product_ids = list(booth.products.values_list("pk", flat=True))
        booth.save(
            update_fields=["legacy_producer_id", "producer_name", "product_ids"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_trigram_cost"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="booth", name="one_booth_per_producer_per_fair"
        ),
        migrations.RenameField(
            model_name="booth", old_name="producer_id", new_name="legacy_producer_id"
        ),
        migrations.AddField(
            model_name="booth",
            name="producer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="booths",
                to="catalog.producer",
                verbose_name="producer",
            ),
        ),
        migrations.AddField(
            model_name="booth",
            name="products",
            field=models.ManyToManyField(
                blank=True,
                related_name="booths",
                to="catalog.product",
                verbose_name="products",
            ),
        ),
        migrations.RunPython(link_producers_and_products, unlink),
        migrations.AlterField(
            model_name="booth",
            name="producer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="booths",
                to="catalog.producer",
                verbose_name="producer",
            ),
        ),
        migrations.RemoveField(model_name="booth", name="legacy_producer_id"),
        migrations.RemoveField(model_name="booth", name="producer_name"),
        migrations.RemoveField(model_name="booth", name="product_ids"),
        migrations.AlterModelOptions(
            name="booth",
            options={
                "ordering": ["fair", "label", "producer__name"],
                "verbose_name": "booth",
                "verbose_name_plural": "booths",
            },
        ),
        migrations.AddConstraint(
            model_name="booth",
            constraint=models.UniqueConstraint(
                models.F("fair"),
                models.F("producer"),
                name="one_booth_per_producer_per_fair",
            ),
        ),
    ]
