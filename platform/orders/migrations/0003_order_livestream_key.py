"""An order's stream becomes a foreign key; the column and its values stay.

The constraint is added NOT VALID: it holds for every row written from now
on without scanning the orders already there.
"""

import django.db.models.deletion
from django.db import migrations, models

ADD_KEY = """
ALTER TABLE orders_order ADD CONSTRAINT orders_order_livestream_id_fk
    FOREIGN KEY (livestream_id) REFERENCES events_livestream (id)
    ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID;
CREATE INDEX orders_order_livestream_id_idx ON orders_order (livestream_id);
"""
DROP_KEY = """
DROP INDEX orders_order_livestream_id_idx;
ALTER TABLE orders_order DROP CONSTRAINT orders_order_livestream_id_fk;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_roundpoint_taken"),
        ("events", "0004_shared_audit_trail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_KEY, DROP_KEY)],
            state_operations=[
                migrations.RemoveField(model_name="order", name="livestream_id"),
                migrations.AddField(
                    model_name="order",
                    name="livestream",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="placed_orders",
                        to="events.livestream",
                        verbose_name="livestream",
                    ),
                ),
            ],
        )
    ]
