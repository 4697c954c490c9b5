from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from .models import Province

HEALTH_PATH = "/healthz"


def health_response() -> HttpResponse:
    """Answer load balancers and probes on any host, pod IPs included.

    Healthy means the process serves requests and reaches the database.
    """
    connection.set_schema_to_public()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(
            "database unreachable", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


class ProvinceMiddleware(TenantMainMiddleware):
    """Route each request to its province's schema by host.

    An unknown host and a suspended province get a plain page of their own,
    never a server error and never another province's content.
    """

    def process_request(self, request):
        if request.path == HEALTH_PATH:
            return health_response()
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        if tenant.kind == Province.Kind.TEMPLATE:
            return self.no_tenant_found(request, tenant.domain_url)
        if tenant.status == Province.Status.SUSPENDED:
            connection.set_schema_to_public()
            return render(
                request, "tenants/suspended.html", {"province": tenant}, status=503
            )
        return None

    def no_tenant_found(self, request, hostname):
        connection.set_schema_to_public()
        return render(
            request, "tenants/unknown_host.html", {"host": hostname}, status=404
        )
