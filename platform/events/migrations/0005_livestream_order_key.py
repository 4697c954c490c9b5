"""A stream's credited order becomes a one-to-one key to the order.

The column, its values and its unique index stay; the constraint is added
NOT VALID so that it holds from now on without scanning older rows.
"""

import django.db.models.deletion
from django.db import migrations, models

ADD_KEY = """
ALTER TABLE events_livestreamorder ADD CONSTRAINT events_livestreamorder_order_id_fk
    FOREIGN KEY (order_id) REFERENCES orders_order (id)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;
"""
DROP_KEY = """
ALTER TABLE events_livestreamorder DROP CONSTRAINT events_livestreamorder_order_id_fk;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_shared_audit_trail"),
        ("orders", "0003_order_livestream_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_KEY, DROP_KEY)],
            state_operations=[
                migrations.RemoveField(model_name="livestreamorder", name="order_id"),
                migrations.AddField(
                    model_name="livestreamorder",
                    name="order",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="livestream_credit",
                        to="orders.order",
                    ),
                ),
            ],
        )
    ]
