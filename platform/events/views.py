"""Public and producer-facing views of events; staff screens live in admin_views."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from catalog.models import Producer
from ketnoi import access

from . import services
from .attribution import remember_livestream
from .forms import BoothApplicationForm, ReminderForm
from .models import Fair
from .selectors import public_livestreams


def stream_link(request: HttpRequest, code: str) -> HttpResponse:
    """The short link read out during a stream: remember it, show its products."""
    from cms.selectors import livestream_url

    stream = access.get_visible_or_404(public_livestreams(), code=code.lower())
    remember_livestream(request, stream)
    return HttpResponseRedirect(livestream_url(stream) or stream.url)


# The form sits on cached pages, which carry no CSRF token; a forged request
# can at most ask for a reminder email, which the address owner can ignore.
@csrf_exempt
@require_POST
def subscribe(request: HttpRequest, code: str) -> HttpResponse:
    from cms.selectors import livestream_url

    stream = access.get_visible_or_404(public_livestreams(), code=code.lower())
    form = ReminderForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.subscribe_to_livestream(
                livestream=stream, email=form.cleaned_data["email"]
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
    else:
        error = _("Enter a valid email address.")
    return render(
        request,
        "events/subscribed.html",
        {"stream": stream, "error": error, "back": livestream_url(stream) or "/"},
        status=400 if error else 200,
    )


def apply_for_booth(request: HttpRequest, fair_id: int) -> HttpResponse:
    """A producer's booth application, from their portal."""
    from catalog.selectors import producers_of

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access.require(access.is_producer(request.user))
    producers = producers_of(request.user).filter(status=Producer.Status.VERIFIED)
    access.require(producers.exists())
    fair = access.get_visible_or_404(
        Fair.objects.filter(status=Fair.Status.OPEN), pk=fair_id
    )
    form = BoothApplicationForm(request.POST or None, producers=producers)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_booth(
                actor=request.user,
                fair=fair,
                producer=form.cleaned_data["producer"],
                products=form.cleaned_data["products"],
                products_note=form.cleaned_data["products_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your application was sent to the union staff.")
            )
            return HttpResponseRedirect(request.path)
    return render(request, "events/apply_for_booth.html", {"fair": fair, "form": form})
