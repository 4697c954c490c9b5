"""How other apps tell the reporting store that a province's figures changed.

Services of the orders, catalog, network and events apps call
`mark_province_changed(connection.schema_name)` after their transaction
commits (`transaction.on_commit`), never from a signal.

Debounce: the first change of a quiet province queues one refresh to run
`REPORTING_DEBOUNCE_SECONDS` later and sets a cache flag; later changes see
the flag and queue nothing, because that refresh has not read the data yet.
The task clears the flag before it reads, so a change that lands during a
refresh queues the next one. A province is thus refreshed at most about once
per debounce window, and a change is visible after at most the window plus
one refresh. The flag expires on its own, so a lost task (a worker that died)
delays a province until its next change or the nightly rebuild, never for
ever. With a broker the flag must live in a cache that web and worker
processes share (Redis, `REDIS_URL`): the local-memory cache of development is
per process, and the system check in `api.checks` says so.
"""

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def _flag(schema_name: str) -> str:
    return f"report-dirty:{schema_name}"


def mark_province_changed(schema_name: str) -> bool:
    """Queue a refresh of the province's figures unless one is already queued.

    Answers whether a refresh was queued by this call.
    """
    from .tasks import refresh_province_figures

    delay = settings.REPORTING_DEBOUNCE_SECONDS
    # Cache keys carry the current schema; the flag is always the public one's.
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        queued = cache.add(_flag(schema_name), 1, timeout=delay * 6 + 60)
    if not queued:
        return False
    # Sent from inside the province's schema, the task runs there (the
    # tenant-aware Celery app records the schema in the message).
    with schema_context(schema_name):
        refresh_province_figures.apply_async(countdown=delay)
    logger.info("Refresh of reporting figures queued for %s", schema_name)
    return True


def clear_change_flag(schema_name: str) -> None:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        cache.delete(_flag(schema_name))


def figures_changed() -> None:
    """Queue a refresh of the current province's figures once the write commits.

    Services that change what the national figures count call this inside
    their transaction; nothing is queued if the transaction rolls back, and a
    transaction that makes many changes queues one refresh.
    """
    schema_name = connection.schema_name
    if schema_name == settings.PUBLIC_SCHEMA_NAME:
        return
    already_queued = any(
        getattr(callback, "refreshes_schema", None) == schema_name
        for _savepoints, callback, _robust in connection.run_on_commit
    )
    if already_queued:
        return

    def refresh() -> None:
        mark_province_changed(schema_name)

    refresh.refreshes_schema = schema_name  # type: ignore[attr-defined]
    transaction.on_commit(refresh)


def counts_for_reports(service: Callable[P, R]) -> Callable[P, R]:
    """Mark a service whose writes change the national figures.

    Placed above `@transaction.atomic`, so the refresh is queued for after the
    outermost commit.
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        result = service(*args, **kwargs)
        figures_changed()
        return result

    return run
