"""URLs of the national host (BASE_DOMAIN): portal, sign-up, national admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from cms.views import switch_language
from tenants import views

urlpatterns = [
    path("", views.portal, name="portal"),
    path("signup/", views.signup, name="signup"),
    path("signup/<uuid:application_id>/", views.signup_status, name="signup-status"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:code>/", switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
