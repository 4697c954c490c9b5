"""Staff screens in the Wagtail admin: booth decisions and sales after a fair."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi import access

from . import services
from .forms import BoothDecisionForm, BoothSaleForm
from .models import Booth


def booth_applications(request: HttpRequest) -> HttpResponse:
    access.require(access.is_staff(request.user))
    booths = (
        Booth.objects.select_related("fair", "producer")
        .prefetch_related("products")
        .annotate(sold=Sum("sales__amount"))
        .order_by("fair__starts_at", "status", "producer__name")
    )
    status = request.GET.get("status")
    if status in Booth.Status.values:
        booths = booths.filter(status=status)
    return render(
        request,
        "events/admin/booth_applications.html",
        {
            "booths": booths,
            "statuses": Booth.Status.choices,
            "current_status": status,
            "decision_form": BoothDecisionForm(),
        },
    )


@require_POST
def decide_booth(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.is_staff(request.user))
    booth = access.get_visible_or_404(Booth.objects.all(), pk=pk)
    form = BoothDecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if request.POST.get("decision") == "accept":
            services.accept_booth(
                actor=request.user,
                booth=booth,
                label=data.get("label", ""),
                note=data.get("note", ""),
            )
            messages.success(request, _("Booth accepted."))
        else:
            services.reject_booth(
                actor=request.user, booth=booth, reason=data.get("note", "")
            )
            messages.success(request, _("Booth application rejected."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(reverse("events_booth_applications"))


def record_sale(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.is_staff(request.user))
    booth = access.get_visible_or_404(
        Booth.objects.select_related("fair", "producer"), pk=pk
    )
    form = BoothSaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_booth_sale(
                actor=request.user, booth=booth, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sales recorded."))
            return HttpResponseRedirect(reverse("events_booth_applications"))
    return render(
        request,
        "events/admin/record_sale.html",
        {"booth": booth, "form": form, "sales": booth.sales.all()},
    )
