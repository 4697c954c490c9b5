"""The audit trail any app can write to: who, when, what, on which record."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .models import AuditEntry


def record(*, actor: Any, action: str, obj: Model, **detail: Any) -> AuditEntry:
    """Add one audit row; call it inside the service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        detail={key: _plain(value) for key, value in detail.items()},
    )


def record_many(
    *, actor: Any, action: str, objects: list[Model], **detail: Any
) -> None:
    """One row per record, in one insert, for imports of thousands of rows."""
    if not objects:
        return
    user = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(objects[0])
    plain = {key: _plain(value) for key, value in detail.items()}
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=user,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                detail=plain,
            )
            for obj in objects
        ],
        batch_size=2000,
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ, as {field: [old, new]}."""
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Model):
        return value.pk
    return str(value)
