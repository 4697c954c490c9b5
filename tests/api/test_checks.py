"""The debounce flag of the national figures needs a cache every process shares."""

import pytest
from django.core.checks import Error, Warning
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from api.checks import debounce_flag_is_shared

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def test_a_broker_with_a_per_process_cache_is_refused_in_production(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/1"
    settings.CACHES = LOCAL
    settings.PRODUCTION = True

    problems = debounce_flag_is_shared()

    assert [type(p) for p in problems] == [Error]
    assert problems[0].id == "api.E001" and "REDIS_URL" in problems[0].hint
    with pytest.raises(SystemCheckError, match="api.E001"):
        call_command("check")


def test_a_broker_with_a_per_process_cache_is_a_warning_in_development(settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CACHES = LOCAL
    settings.PRODUCTION = False

    problems = debounce_flag_is_shared()

    assert [(type(p), p.id) for p in problems] == [(Warning, "api.W001")]


@pytest.mark.parametrize(
    ("broker", "caches"),
    [("redis://127.0.0.1:6379/1", REDIS), ("", LOCAL)],
    ids=["broker and shared cache", "tasks in-process"],
)
def test_a_shared_cache_or_no_broker_passes(settings, broker, caches):
    settings.CELERY_BROKER_URL = broker
    settings.CACHES = caches
    settings.PRODUCTION = True

    assert debounce_flag_is_shared() == []
