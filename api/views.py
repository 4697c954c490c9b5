import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import DisableIntrospection
from graphene_django.views import GraphQLView
from graphql import ExecutionResult, parse, specified_rules

from tenants.models import Province

from . import dashboard, exports
from .access import AccessDenied, is_national_staff, scope_for_request
from .limits import cost_error, depth_limit
from .models import ProvinceSnapshot
from .queries import ReportError

logger = logging.getLogger(__name__)

RESPONSE_CACHE_SECONDS = 300
GENERATION_SQL = f"""
    SELECT max(refreshed_at), count(*),
        (SELECT count(*) FROM {Province._meta.db_table} WHERE kind = 'province')
    FROM {ProvinceSnapshot._meta.db_table}
"""


def _error_response(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status=status
    )


@method_decorator(csrf_exempt, name="dispatch")
class ReportingGraphQLView(GraphQLView):
    """/graphql/ on the national host: the caller's scope is settled first.

    CSRF protection matters only for sessions, whose cookie a browser sends on
    its own; a token request is exempt, a session request is checked here.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            scope, by_token = scope_for_request(request)
        except AccessDenied as denied:
            return _error_response(str(denied), denied.code, denied.status)
        if not by_token:
            rejected = CsrfViewMiddleware(lambda r: None).process_view(
                request, None, (), {}
            )
            if rejected is not None:
                return _error_response(
                    _(
                        "CSRF check failed: send the csrftoken cookie's value in the "
                        "X-CSRFToken header, or use an API token."
                    ),
                    "CSRF_FAILED",
                    403,
                )
        request.reporting_scope = scope
        self.graphiql = not settings.PRODUCTION
        # Rules given to the view replace graphql-core's standard ones, so
        # they are listed too.
        rules = [*specified_rules, depth_limit(settings.GRAPHQL_MAX_DEPTH)]
        if settings.PRODUCTION:
            rules.append(DisableIntrospection)
        self.validation_rules = rules
        return super().dispatch(request, *args, **kwargs)

    def get_response(self, request, data, show_graphiql=False):
        if show_graphiql:
            return super().get_response(request, data, show_graphiql)
        key = self._cache_key(request, data)
        cached = cache.get(key)
        if cached is not None:
            return cached, 200
        result, status_code = super().get_response(request, data, show_graphiql)
        # Errors come first in the body; only clean answers are kept.
        if status_code == 200 and result and result.startswith('{"data":'):
            cache.set(key, result, RESPONSE_CACHE_SECONDS)
        return result, status_code

    def _cache_key(self, request, data) -> str:
        """Answers depend on the caller's scope, the query and the store.

        The store's generation (its latest refresh and its number of
        provinces) is read from the database, so a refresh in any process
        retires every cached answer at once, whatever the cache backend.
        """
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        with connection.cursor() as cursor:
            cursor.execute(GENERATION_SQL)
            generation = cursor.fetchone()
        parts = [
            request.reporting_scope.national,
            request.reporting_scope.province_id,
            query,
            variables,
            operation_name,
            get_language(),
            settings.PRODUCTION,
            generation,
        ]
        digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
        return f"graphql-answer:{digest}"

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if query:
            try:
                document = parse(query)
            except Exception:
                document = None  # the parent reports the syntax error
            if document is not None:
                error = cost_error(document, operation_name, variables)
                if error is not None:
                    return ExecutionResult(data=None, errors=[error])
        return super().execute_graphql_request(
            request, data, query, variables, operation_name, show_graphiql
        )


graphql_view = ReportingGraphQLView.as_view()


# --- dashboard ---------------------------------------------------------------


def _national_staff_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if not is_national_staff(request.user):
        raise Http404
    return None


def _board(request: HttpRequest) -> dashboard.Board | HttpResponse:
    try:
        return dashboard.build(request.GET)
    except ReportError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")


def dashboard_page(request: HttpRequest) -> HttpResponse:
    refused = _national_staff_only(request)
    if refused is not None:
        return refused
    board = _board(request)
    if isinstance(board, HttpResponse):
        return board
    return render(request, "api/dashboard.html", {"board": board})


def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    refused = _national_staff_only(request)
    if refused is not None:
        return refused
    board = _board(request)
    if isinstance(board, HttpResponse):
        return board
    if fmt == "xlsx":
        return exports.xlsx_response(board)
    return exports.csv_response(board)
