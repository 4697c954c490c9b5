"""System checks of the reporting store's settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

# Cache backends whose entries one process cannot see from another.
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


@register()
def debounce_flag_is_shared(app_configs: Any = None, **kwargs: Any) -> list:
    """A broker means refreshes run in a worker: the debounce flag must be shared.

    The web process sets a province's flag when it queues a refresh and the
    worker clears it when the refresh starts (`api.changes`). With a cache per
    process the worker's clearing is never seen by the web process, so changes
    made after a refresh was queued wait until the flag expires, far beyond
    the promised minute.
    """
    if not settings.CELERY_BROKER_URL:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    level = Error if settings.PRODUCTION else Warning
    return [
        level(
            "A Celery broker is configured (CELERY_BROKER_URL) but the cache is "
            "local to each process, so web and worker processes do not share "
            "the national figures' debounce flags.",
            hint="Set REDIS_URL to a Redis server that every web and worker "
            "process uses.",
            obj="CACHES",
            id="api.E001" if settings.PRODUCTION else "api.W001",
        )
    ]
