"""Every string the staff's admin screens render has a Vietnamese translation.

While a screen renders, Django's gettext functions are wrapped to note each
message looked up in Vietnamese that no catalog translates. Messages without
letters (numbers, punctuation, placeholders) are left out.
"""

import os
import re
from contextlib import contextmanager

import pytest
from django.utils import translation
from django.utils.translation import trans_real
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model

from cms.models import (
    CampaignPage,
    NewsPage,
    ProducerStoryPage,
)
from tests.cms.conftest import build_site

LETTERS = re.compile(r"[A-Za-z]{2,}")
CONTEXT_SEPARATOR = "\x04"


@contextmanager
def untranslated_messages():
    found: set[str] = set()
    real = translation._trans

    def catalog():
        active = trans_real.get_language()
        if not active or not active.startswith("vi"):
            return None
        return trans_real.translation(active)._catalog

    def note(key: str, shown: str) -> None:
        entries = catalog()
        if entries is not None and key not in entries and LETTERS.search(shown):
            found.add(shown)

    original = {
        name: getattr(trans_real, name)
        for name in ("gettext", "pgettext", "ngettext", "npgettext")
    }

    def gettext(message):
        note(message, message)
        return original["gettext"](message)

    def pgettext(context, message):
        note(f"{context}{CONTEXT_SEPARATOR}{message}", message)
        return original["pgettext"](context, message)

    def ngettext(singular, plural, number):
        note_plural(singular, singular)
        return original["ngettext"](singular, plural, number)

    def npgettext(context, singular, plural, number):
        note_plural(f"{context}{CONTEXT_SEPARATOR}{singular}", singular)
        return original["npgettext"](context, singular, plural, number)

    def note_plural(key: str, shown: str) -> None:
        entries = catalog()
        if entries is not None and (key, 0) not in entries and LETTERS.search(shown):
            found.add(shown)

    saved = {name: real.__dict__.get(name) for name in original}
    for name, wrapper in (
        ("gettext", gettext),
        ("pgettext", pgettext),
        ("ngettext", ngettext),
        ("npgettext", npgettext),
    ):
        setattr(real, name, wrapper)
    try:
        yield found
    finally:
        for name, value in saved.items():
            if value is None:
                real.__dict__.pop(name, None)
            else:
                setattr(real, name, value)


def admin_screens(site: dict, document_id: int) -> list[str]:
    screens = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{site['home'].pk}/",
        f"/admin/pages/{site['news'].pk}/",
        "/admin/pages/search/?q=rau",
        "/admin/images/",
        f"/admin/images/{site['image'].pk}/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        f"/admin/documents/edit/{document_id}/",
        "/admin/documents/multiple/add/",
        "/admin/account/",
        "/admin/fairs/",
        "/admin/fairs/new/",
        "/admin/livestreams/",
        "/admin/livestreams/new/",
        "/admin/events/booths/",
    ]
    for key in ("home", "news", "stories", "events", "article", "story", "campaign"):
        screens.append(f"/admin/pages/{site[key].pk}/edit/")
    parents = {
        CampaignPage: site["home"],
        NewsPage: site["news"],
        ProducerStoryPage: site["stories"],
    }
    for model, parent in parents.items():
        name = model._meta.model_name
        screens.append(f"/admin/pages/add/cms/{name}/{parent.pk}/")
    return screens


ADMINISTRATOR_SCREENS = [
    "/admin/users/",
    "/admin/users/new/",
    "/admin/groups/",
    "/admin/sites/",
    "/admin/collections/",
    "/admin/workflows/list/",
    "/admin/reports/site-history/",
]


@pytest.fixture
def site_with_document(hanoi):
    from django.core.files.base import ContentFile

    with schema_context(hanoi.schema):
        site = build_site()
        document = get_document_model()(title="Kế hoạch hội chợ")
        document.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
        return site, document.pk


def _render_all(client, screens) -> tuple[dict[str, int], set[str]]:
    statuses = {}
    with untranslated_messages() as missing:
        for url in screens:
            statuses[url] = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").status_code
    if dump := os.environ.get("KETNOI_DUMP_UNTRANSLATED"):
        with open(dump, "a") as out:
            out.writelines(f"{message!r}\n" for message in sorted(missing))
    return statuses, missing


def test_staff_admin_screens_are_fully_vietnamese(
    hanoi, hanoi_client, site_with_document
):
    site, document_id = site_with_document
    hanoi_client.login_to_admin(hanoi.staff_email)

    statuses, missing = _render_all(hanoi_client, admin_screens(site, document_id))

    assert {url: code for url, code in statuses.items() if code != 200} == {}
    assert sorted(missing) == []


def test_administrator_screens_are_fully_vietnamese(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.admin_email)

    statuses, missing = _render_all(hanoi_client, ADMINISTRATOR_SCREENS)

    assert {url: code for url, code in statuses.items() if code != 200} == {}
    assert sorted(missing) == []


def test_the_login_screen_is_vietnamese(hanoi_client):
    statuses, missing = _render_all(hanoi_client, ["/admin/login/"])

    assert statuses == {"/admin/login/": 200}
    assert sorted(missing) == []


def test_the_coverage_check_notices_an_untranslated_string(hanoi):
    with translation.override("vi"), untranslated_messages() as missing:
        translation.gettext("A sentence nobody has translated")
        translation.gettext("Save")

    assert missing == {"A sentence nobody has translated"}
