"""Events write to the province's shared audit trail; their old rows move there."""

from django.db import migrations


def move_rows(apps, schema_editor):
    EventAudit = apps.get_model("events", "EventAudit")
    AuditEntry = apps.get_model("network", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kinds = {}
    moved = []
    for row in EventAudit.objects.order_by("at", "pk").iterator():
        if row.object_type not in kinds:
            kinds[row.object_type], _made = ContentType.objects.get_or_create(
                app_label="events", model=row.object_type
            )
        moved.append(
            AuditEntry(
                actor_id=row.actor_id,
                action=row.action,
                content_type=kinds[row.object_type],
                object_id=str(row.object_id),
                object_repr=f"{row.object_type} {row.object_id}",
                detail=row.detail,
            )
        )
    created = AuditEntry.objects.bulk_create(moved, batch_size=2000)
    # `at` is set on creation; keep each row's own time.
    for entry, row in zip(
        created, EventAudit.objects.order_by("at", "pk").iterator(), strict=True
    ):
        entry.at = row.at
    AuditEntry.objects.bulk_update(created, ["at"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_livestream_featured_products"),
        ("network", "0004_member_search_name"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="EventAudit"),
    ]
