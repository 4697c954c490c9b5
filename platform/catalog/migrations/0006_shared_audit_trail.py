"""The catalog writes to the province's shared audit trail; its rows move there."""

from django.db import migrations


def move_rows(apps, schema_editor):
    OldEntry = apps.get_model("catalog", "AuditEntry")
    AuditEntry = apps.get_model("network", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kinds = {}
    rows = list(OldEntry.objects.order_by("at", "pk"))
    moved = []
    for row in rows:
        if row.subject_type not in kinds:
            kinds[row.subject_type], _made = ContentType.objects.get_or_create(
                app_label="catalog", model=row.subject_type
            )
        detail = {"producer": row.producer_id}
        for key in ("before", "after"):
            if getattr(row, key):
                detail[key] = getattr(row, key)
        if row.note:
            detail["note"] = row.note
        moved.append(
            AuditEntry(
                actor_id=row.actor_id,
                action=row.action,
                content_type=kinds[row.subject_type],
                object_id=str(row.subject_id),
                object_repr=f"{row.subject_type} {row.subject_id}",
                detail=detail,
            )
        )
    created = AuditEntry.objects.bulk_create(moved, batch_size=2000)
    # `at` is set on creation; keep each row's own time.
    for entry, row in zip(created, rows, strict=True):
        entry.at = row.at
    AuditEntry.objects.bulk_update(created, ["at"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_search_words"),
        ("network", "0004_member_search_name"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEntry"),
    ]
