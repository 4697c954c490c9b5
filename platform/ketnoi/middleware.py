import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ServerTimingMiddleware:
    """Add how long the server spent on a response, as a Server-Timing header.

    Browsers' developer tools show it, and the benchmarks read it to tell the
    server's time apart from time spent queueing on a loaded machine.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Vietnamese unless the visitor chose English.

    Many phones in Vietnam are set to English, so a browser's Accept-Language
    says little about what a union member reads; the language link on every
    page sets a cookie instead. Machine clients of the API still get their
    Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/graphql/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = (
            chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None
