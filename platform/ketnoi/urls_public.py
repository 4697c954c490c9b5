"""URLs of the national host (BASE_DOMAIN): portal, sign-up, national admin,
the national dashboard and the reporting API."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from api import views as api_views
from cms.views import switch_language
from tenants import views

urlpatterns = [
    path("", views.portal, name="portal"),
    path("signup/", views.signup, name="signup"),
    path("signup/<uuid:application_id>/", views.signup_status, name="signup-status"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:code>/", switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
    path("graphql/", api_views.graphql_view, name="graphql"),
    path("bao-cao/", api_views.dashboard_page, name="national-dashboard"),
    path(
        "bao-cao/xuat.xlsx",
        api_views.dashboard_export,
        {"fmt": "xlsx"},
        name="national-dashboard-xlsx",
    ),
    path(
        "bao-cao/xuat.csv",
        api_views.dashboard_export,
        {"fmt": "csv"},
        name="national-dashboard-csv",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
