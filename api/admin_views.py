"""Province admin views for API tokens. The tokens live in the public schema;
each view narrows them to the province whose host the request came to."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.access import get_visible_or_404, is_staff, require

from . import services
from .models import ApiToken


def _province_tokens():
    return ApiToken.objects.filter(province=connection.tenant)


def token_list(request: HttpRequest) -> HttpResponse:
    require(is_staff(request.user))
    new_token = None
    if request.method == "POST":
        try:
            _token, new_token = services.issue_token(
                province=connection.tenant,
                name=request.POST.get("name", ""),
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return TemplateResponse(
        request,
        "api/tokens.html",
        {"tokens": _province_tokens(), "new_token": new_token},
    )


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    require(is_staff(request.user))
    token = get_visible_or_404(_province_tokens(), pk=token_id)
    try:
        services.revoke_token(token=token, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Token revoked."))
    return redirect("api_tokens")
