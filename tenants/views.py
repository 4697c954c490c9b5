from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import services
from .forms import SignupForm
from .models import Application, Province


def portal(request: HttpRequest) -> HttpResponse:
    provinces = Province.objects.filter(
        kind=Province.Kind.PROVINCE, status=Province.Status.ACTIVE
    ).order_by("name")
    return render(request, "tenants/portal.html", {"provinces": provinces})


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.submit_application(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("signup-status", application_id=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tenants/signup.html", {"form": form}, status=status)


def signup_status(request: HttpRequest, application_id: str) -> HttpResponse:
    application = get_object_or_404(Application, pk=application_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": application.status,
                "label": application.get_status_display(),
                "url": application.province.url if application.province else None,
            }
        )
    return render(request, "tenants/signup_status.html", {"application": application})
