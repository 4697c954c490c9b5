"""Checks shared by the events forms and services."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

# Host names each channel's links may point at; a host matches itself and
# its subdomains (m.facebook.com, www.youtube.com).
CHANNEL_HOSTS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.watch", "fb.com"),
    "youtube": ("youtube.com", "youtu.be"),
    "tiktok": ("tiktok.com",),
}


def province_hosts() -> list[str]:
    """The current province's own host names, for links to its portal."""
    from tenants.models import Domain

    hosts = list(getattr(settings, "KETNOI_PORTAL_DOMAINS", []))
    hosts += list(
        Domain.objects.filter(tenant__schema_name=connection.schema_name).values_list(
            "domain", flat=True
        )
    )
    return hosts


def allowed_hosts(channel: str) -> tuple[str, ...]:
    if channel == "portal":
        return tuple(province_hosts())
    if channel == "newspaper":
        return tuple(settings.KETNOI_NEWSPAPER_DOMAINS)
    return CHANNEL_HOSTS.get(channel, ())


def host_matches(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in allowed)


def check_stream_url(channel: str, url: str) -> None:
    """A livestream link must be a web address on its channel's hosts."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            {"url": _("Enter a full web address starting with https://.")},
            code="not_a_url",
        )
    allowed = allowed_hosts(channel)
    if not host_matches(parts.hostname, allowed):
        raise ValidationError(
            {
                "url": _(
                    "This link is not on the chosen channel. Allowed addresses: "
                    "%(hosts)s."
                )
                % {"hosts": ", ".join(allowed) or "—"}
            },
            code="wrong_channel",
        )


def check_period(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("The event must end after it starts.")}, code="ends_first"
        )
