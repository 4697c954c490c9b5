"""The front-end cache of a province's public pages.

Anonymous GET requests for Wagtail pages are answered from the cache. Keys
are made per province twice over: the cache's KEY_FUNCTION prefixes the
schema, and the key holds the host. Purging bumps the province's version
number, so every page of that province (and no other) misses next time.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import schema_context

logger = logging.getLogger(__name__)

VERSION_KEY = "cms:pages:version"
SKIPPED_PREFIXES = ("/admin/", "/documents/", "/live/", "/i18n/", "/static/", "/media/")


def _seconds() -> int:
    return int(getattr(settings, "KETNOI_PAGE_CACHE_SECONDS", 300))


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def purge_province_pages() -> None:
    """Forget the current province's cached pages."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)
    logger.info("Page cache purged for schema %s", connection.schema_name)


def purge_pages_of(schema_name: str) -> None:
    """Forget a province's cached pages from any schema, e.g. after a commit."""
    with schema_context(schema_name):
        purge_province_pages()


def _key(request: HttpRequest, version: int) -> str:
    raw = "|".join(
        [
            request.get_host(),
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        ]
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"cms:page:{version}:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    if _seconds() <= 0 or request.method not in {"GET", "HEAD"}:
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    # A visitor with a session may see messages or their own state; only the
    # cookieless public is served from the cache.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
            return self.get_response(request)
        if not _cacheable_request(request):
            return self.get_response(request)

        key = _key(request, current_version())
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if self._cacheable_response(request, response):
            cache.set(key, (response.content, response["Content-Type"]), _seconds())
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            match is not None
            and match.url_name == "wagtail_serve"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(request, "is_preview", False)
            and "private" not in response.get("Cache-Control", "")
        )
