"""Province API tokens issued and revoked in the province's Wagtail admin."""

import re

from api.models import ApiToken, ApiTokenEvent
from api.services import digest_of

from .conftest import GraphQLClient


def _issue(client, name="Báo cáo quý") -> str:
    page = client.post("/admin/api-tokens/", {"name": name}).content.decode()
    return re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)


def test_province_staff_issue_a_token_shown_once_and_stored_hashed(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.staff_email)

    raw = _issue(hanoi_client)

    token = ApiToken.objects.get(province=hanoi.province)
    assert token.digest == digest_of(raw) and raw not in token.digest
    assert raw not in hanoi_client.get("/admin/api-tokens/").content.decode()
    event = ApiTokenEvent.objects.get(token=token)
    assert (event.action, event.actor, event.actor_schema) == (
        "issued",
        hanoi.staff_email,
        hanoi.schema,
    )
    data = GraphQLClient(raw).query("{ provinces { slug } }")["data"]
    assert data == {"provinces": [{"slug": "hanoi"}]}


def test_revoking_a_token_stops_it_and_leaves_an_audit_row(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.admin_email)
    raw = _issue(hanoi_client)
    token = ApiToken.objects.get(province=hanoi.province)

    hanoi_client.post(f"/admin/api-tokens/{token.pk}/revoke/")

    assert GraphQLClient(raw).post("{ provinces { slug } }").status_code == 401
    actions = list(token.events.values_list("action", "actor"))
    assert actions == [("issued", hanoi.admin_email), ("revoked", hanoi.admin_email)]


def test_another_province_cannot_see_or_revoke_a_token(
    hanoi, hue, hanoi_client, hue_client
):
    hanoi_client.login_to_admin(hanoi.staff_email)
    _issue(hanoi_client, name="chi-ha-noi")
    token = ApiToken.objects.get(province=hanoi.province)
    hue_client.login_to_admin(hue.staff_email)

    listing = hue_client.get("/admin/api-tokens/").content.decode()
    response = hue_client.post(f"/admin/api-tokens/{token.pk}/revoke/")
    missing = hue_client.post("/admin/api-tokens/999999/revoke/")

    assert "chi-ha-noi" not in listing
    assert response.status_code == missing.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_token_screen_needs_a_signed_in_staff_member(hanoi, hanoi_client):
    assert hanoi_client.get("/admin/api-tokens/").status_code == 302
