"""The unit chooser: searched by name without accents, limited by level."""

import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from network import services

from .conftest import logged_in

CHOOSER = "/admin/network/don-vi/"


def shown(response) -> str:
    """What the chooser shows: its modal answers HTML inside JSON."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def test_the_member_form_offers_a_chooser_not_every_unit(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    form = client.get("/admin/network/member/new/").content.decode()

    assert f"{CHOOSER}?levels=branch,group" in form
    assert "Chi hội Hàng Bạc" not in form


def test_the_edit_form_shows_the_chosen_branch(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    form = client.get(f"/admin/network/member/edit/{net.host.pk}/").content.decode()

    assert "Chi hội Hàng Bạc" in form


def test_staff_find_a_unit_without_accents(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    found = client.get(f"{CHOOSER}results/", {"q": "hang bac"}).content.decode()
    other = client.get(f"{CHOOSER}results/", {"q": "hoan kiem"}).content.decode()

    assert "Chi hội Hàng Bạc" in found and "Tổ 1" not in found
    assert "Hội LHPN phường Hoàn Kiếm" in other


def test_the_chooser_keeps_to_the_levels_the_form_accepts(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    body = shown(client.get(f"{CHOOSER}?levels=branch,group"))
    choices = re.findall(r"data-chooser-modal-choice[^>]*>\s*([^<]+?)\s*<", body)

    assert choices == ["Chi hội Hàng Bạc", "Tổ 1"]


def test_outsiders_get_nothing_from_the_chooser(hanoi, hue, net):
    from_hue = logged_in(hanoi.host, hue.staff_email)
    hue_staff_at_home = logged_in(hue.host, hue.staff_email)

    stranger = from_hue.get(CHOOSER)
    at_home = hue_staff_at_home.get(CHOOSER)

    assert stranger.status_code != 200 and "Hàng Bạc" not in shown(stranger)
    assert at_home.status_code == 200 and "Hàng Bạc" not in shown(at_home)


def test_a_coordinator_cannot_list_the_units(hanoi, net):
    client = logged_in(hanoi.host, "dieuphoi@hanoi.test")

    response = client.get(CHOOSER)

    assert "Hàng Bạc" not in shown(response)


def test_each_unit_in_the_chooser_says_where_it_belongs(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    body = client.get(f"{CHOOSER}results/", {"q": "to 1"}).content.decode()
    row = body[body.index("Tổ 1") :]

    assert "Hội LHPN phường Hoàn Kiếm › Chi hội Hàng Bạc" in row
    assert "Hội LHPN Thành phố Hà Nội" not in row


def test_the_chooser_queries_do_not_grow_with_the_units_shown(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{CHOOSER}results/", {"q": "chi hoi"})
        return len(captured.captured_queries)

    few = queries()
    with schema_context(hanoi.schema):
        for number in range(10):
            services.create_org_unit(
                actor=get_user_model().objects.get(username=hanoi.staff_email),
                name=f"Chi hội số {number}",
                level="branch",
                parent=net.commune,
            )
    many = queries()

    assert few == many
