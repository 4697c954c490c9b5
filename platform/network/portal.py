"""The coordinators' mobile portal: their pickup points and support groups."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from ketnoi.access import is_coordinator, require

from . import selectors


def home(request):
    if not request.user.is_authenticated:
        return redirect(f"/portal/login/?next={request.path}")
    require(is_coordinator(request.user))
    return TemplateResponse(
        request,
        "network/portal_home.html",
        {
            "points": list(selectors.points_of_coordinator(request.user)),
            "groups": list(selectors.groups_of_coordinator(request.user)),
        },
    )


class PortalLoginView(auth_views.LoginView):
    template_name = "network/portal_login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return "/portal/"


urlpatterns = [
    path("", home, name="portal_home"),
    path("login/", PortalLoginView.as_view(), name="portal_login"),
    path(
        "logout/",
        auth_views.LogoutView.as_view(next_page="/portal/login/"),
        name="portal_logout",
    ),
]
