"""The migrations that turned placeholder ids into relations keep the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.events.conftest import product_of, verified_producer

BEFORE = [("events", "0001_initial")]
AFTER = [("events", "0003_livestream_featured_products")]


def migrate(targets):
    # Foreign keys are checked at commit; altering a table needs them settled.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def placeholder_rows(hanoi, people):
    """A booth and a livestream written the old way, by ids and a typed name."""
    with schema_context(hanoi.schema):
        staff = people["staff"]
        plum = verified_producer("HTX Mận Mộc Châu", None, staff)
        tea = verified_producer("HTX Chè Shan", None, staff)
        dried = product_of(plum, staff, "Mận sấy")
        old = migrate(BEFORE)
        starts = timezone.now() + timedelta(days=3)
        fair = old.get_model("events", "Fair").objects.create(
            kind="fair",
            title="Hội chợ",
            starts_at=starts,
            ends_at=starts + timedelta(1),
        )
        Booth = old.get_model("events", "Booth")
        by_id = Booth.objects.create(
            fair=fair, producer_id=plum.pk, producer_name="Mận", product_ids=[dried.pk]
        )
        by_name = Booth.objects.create(fair=fair, producer_name=" htx chè shan ")
        stream = old.get_model("events", "Livestream").objects.create(
            title="Mận",
            scheduled_at=starts,
            channel="facebook",
            url="https://fb.watch/1/",
            host_name="Chị Hà",
            code="abc2345",
            featured_product_ids=[dried.pk, 999_999],
        )
    return {
        "plum": plum,
        "tea": tea,
        "dried": dried,
        "by_id": by_id.pk,
        "by_name": by_name.pk,
        "stream": stream.pk,
    }


def test_booths_and_streams_keep_their_producers_and_products(hanoi, placeholder_rows):
    rows = placeholder_rows
    with schema_context(hanoi.schema):
        new = migrate(AFTER)
        Booth = new.get_model("events", "Booth")
        by_id = Booth.objects.get(pk=rows["by_id"])
        by_name = Booth.objects.get(pk=rows["by_name"])
        stream = new.get_model("events", "Livestream").objects.get(pk=rows["stream"])

        assert by_id.producer_id == rows["plum"].pk
        assert list(by_id.products.values_list("pk", flat=True)) == [rows["dried"].pk]
        assert by_name.producer_id == rows["tea"].pk
        assert list(stream.featured_products.values_list("pk", flat=True)) == [
            rows["dried"].pk
        ]


def test_a_booth_whose_producer_cannot_be_found_stops_the_migration(
    hanoi, placeholder_rows
):
    with schema_context(hanoi.schema):
        old = migrate(BEFORE)
        old.get_model("events", "Booth").objects.filter(
            pk=placeholder_rows["by_name"]
        ).update(producer_name="Không ai")

        with pytest.raises(RuntimeError, match="Không ai"):
            migrate(AFTER)
