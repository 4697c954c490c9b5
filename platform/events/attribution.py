"""Which livestream sent a visitor, so the orders app can credit the stream.

Following a stream's short link stores its code in the visitor's session for
a day; `current_livestream` answers the stream while it is remembered.
"""

import time

from django.http import HttpRequest

from .models import Livestream

SESSION_KEY = "ketnoi_livestream"
REMEMBER_SECONDS = 24 * 3600


def remember_livestream(request: HttpRequest, livestream: Livestream) -> None:
    request.session[SESSION_KEY] = {"code": livestream.code, "at": int(time.time())}


def current_livestream(request: HttpRequest) -> Livestream | None:
    """The stream whose link brought this visitor, or None."""
    session = getattr(request, "session", None)
    data = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > REMEMBER_SECONDS:
        session.pop(SESSION_KEY, None)
        return None
    return Livestream.objects.filter(code=data.get("code")).first()


def forget_livestream(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
