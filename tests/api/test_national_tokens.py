"""National staff issue, list and revoke national API tokens in /admin/."""

import re

from django.contrib.auth import get_user_model

from api.models import ApiToken, ApiTokenEvent
from api.services import digest_of
from tests.conftest import PASSWORD

from .conftest import GraphQLClient

SCREEN = "/admin/api/nationalapitoken/"


def _issue(client, name="Bảng điều khiển Bộ") -> str:
    page = client.post(SCREEN + "add/", {"name": name}).content.decode()
    return re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)


def test_national_staff_issue_a_token_that_reads_every_province(
    national_staff_client, hanoi, hue
):
    raw = _issue(national_staff_client)

    token = ApiToken.objects.get(digest=digest_of(raw))
    assert token.province is None and raw not in token.digest
    event = ApiTokenEvent.objects.get(token=token)
    assert (event.action, event.actor, event.actor_schema) == (
        "issued",
        "quocgia@ketnoi.test",
        "public",
    )
    data = GraphQLClient(raw).query("{ provinces { slug } }")["data"]
    assert {p["slug"] for p in data["provinces"]} >= {"hanoi", "hue"}


def test_the_list_shows_national_tokens_without_their_secret(
    national_staff_client, hanoi_token
):
    raw = _issue(national_staff_client, name="Thống kê quốc gia")

    listing = national_staff_client.get(SCREEN).content.decode()

    assert "Thống kê quốc gia" in listing and raw[:10] in listing
    assert raw not in listing
    assert "hanoi" not in listing  # province tokens are the provinces' business


def test_a_token_without_a_name_is_refused_and_nothing_is_issued(
    national_staff_client,
):
    page = national_staff_client.post(SCREEN + "add/", {"name": "  "})

    assert 'id="new-token"' not in page.content.decode()
    assert not ApiToken.objects.filter(province__isnull=True).exists()


def test_revoking_a_national_token_stops_it_and_leaves_an_audit_row(
    national_staff_client,
):
    raw = _issue(national_staff_client)
    token = ApiToken.objects.get(digest=digest_of(raw))

    national_staff_client.post(
        SCREEN, {"action": "revoke", "_selected_action": [token.pk]}
    )

    response = GraphQLClient(raw).post("{ provinces { slug } }")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    assert list(token.events.values_list("action", flat=True)) == [
        "issued",
        "revoked",
    ]


def test_province_users_cannot_reach_the_screen(hanoi, hanoi_client, national_client):
    hanoi_client.login_to_admin(hanoi.admin_email)
    on_province_host = hanoi_client.get(SCREEN)
    # A province's administrator has no account on the national host.
    national_client.login_to_admin(hanoi.admin_email)
    on_national_host = national_client.get(SCREEN)
    visitor = get_user_model().objects.create_user("khach@ketnoi.test", PASSWORD)
    national_client.force_login(visitor)
    not_staff = national_client.get(SCREEN + "add/")

    assert on_province_host.status_code == 404
    assert on_national_host.status_code == 302
    assert not_staff.status_code == 302
    assert not ApiToken.objects.filter(province__isnull=True).exists()
