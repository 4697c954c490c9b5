"""The migration that turned a story's placeholder ids into relations."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from tests.cms.conftest import staff_of
from tests.events.conftest import product_of, verified_producer

BEFORE = [("cms", "0004_staff_permissions")]
AFTER = [("cms", "0005_story_producer_relations")]


def migrate(targets):
    # Foreign keys are checked at commit; altering a table needs them settled.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_story(hanoi, hanoi_site, old_values):
    """Write the story the old way, migrate, and answer it with its producers."""
    with schema_context(hanoi.schema):
        staff = staff_of(hanoi)
        garden = verified_producer("HTX Rau sạch Đông Anh", None, staff)
        plum = verified_producer("HTX Mận", None, staff)
        greens = product_of(garden, staff, "Rau muống")
        old = migrate(BEFORE).get_model("cms", "ProducerStoryPage")
        story = old.objects.filter(pk=hanoi_site["story"].pk)
        story.update(product_ids=[greens.pk, 999_999], **old_values(plum))

        new = migrate(AFTER).get_model("cms", "ProducerStoryPage")
        story = new.objects.get(pk=hanoi_site["story"].pk)
        story.product_pks = list(story.products.values_list("pk", flat=True))
        return story, garden, plum, greens


def test_a_story_keeps_its_producer_id_and_existing_products(hanoi, hanoi_site):
    story, _garden, plum, greens = migrate_story(
        hanoi, hanoi_site, old_values=lambda plum: {"producer_id": plum.pk}
    )

    assert story.producer_id == plum.pk
    assert story.product_pks == [greens.pk]


def test_a_story_without_an_id_finds_the_one_producer_of_its_name(hanoi, hanoi_site):
    story, garden, _plum, _greens = migrate_story(
        hanoi, hanoi_site, old_values=lambda plum: {}
    )

    assert story.producer_id == garden.pk
    assert story.producer_name == "HTX Rau sạch Đông Anh"
