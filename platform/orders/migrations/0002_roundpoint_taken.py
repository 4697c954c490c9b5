from django.db import migrations, models

COUNT_TAKEN = """
UPDATE orders_roundpoint rp SET taken = (
    SELECT COUNT(*) FROM orders_order o
    WHERE o.sales_round_id = rp.sales_round_id AND o.point_id = rp.point_id
    AND o.status <> 'cancelled'
)
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="roundpoint",
            name="taken",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="orders taken"
            ),
        ),
        migrations.RunSQL(COUNT_TAKEN, migrations.RunSQL.noop),
    ]
