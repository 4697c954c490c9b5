"""Who may read what through /graphql/: every query, two provinces' tokens."""

import pytest
from django.contrib.auth import get_user_model

from api import services
from api.models import ApiToken
from tests.conftest import PASSWORD, HostClient

from .conftest import GraphQLClient

# Every query field, asked for the figures of the provinces in $provinces.
QUERIES = {
    "summary": "query($f: ReportFilter) { summary(filter: $f) { provinces "
    "sales { orders valueVnd } network { members } } }",
    "byProvince": "query($f: ReportFilter) { byProvince(filter: $f) { totalCount "
    "edges { node { province { slug } sales { valueVnd } } } } }",
    "series": "query($f: ReportFilter) { series(filter: $f, groupByProvince: true) "
    "{ period province { slug } sales { tonnes } } }",
    "byCategory": "query($f: ReportFilter) { byCategory(filter: $f) "
    "{ category sales { valueVnd } } }",
    "byOcopStars": "query($f: ReportFilter) { byOcopStars(filter: $f) "
    "{ stars verifiedProducts sales { valueVnd } } }",
    "topProducts": "query($f: ReportFilter) { topProducts(filter: $f) "
    "{ totalCount edges { node { name province { slug } } } } }",
    "topProducers": "query($f: ReportFilter) { topProducers(filter: $f) "
    "{ totalCount edges { node { name province { slug } } } } }",
}


@pytest.mark.parametrize("name", QUERIES)
def test_anonymous_caller_gets_only_an_authentication_error(name, db):
    response = GraphQLClient().post(QUERIES[name])

    assert response.status_code == 401
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_anonymous_introspection_is_refused_too(db):
    response = GraphQLClient().post("{ __schema { types { name } } }")

    assert response.status_code == 401
    assert "data" not in response.json()


@pytest.mark.parametrize("name", QUERIES)
def test_province_token_asking_for_another_province_is_told_it_does_not_exist(
    name, hanoi, hue, hue_token, stored_sales
):
    client = GraphQLClient(hue_token)

    other = client.query(QUERIES[name], {"f": {"provinces": ["hanoi"]}})
    nowhere = client.query(QUERIES[name], {"f": {"provinces": ["khong-co"]}})

    assert other["data"] is None
    assert (
        other["errors"][0]["message"].replace('"hanoi"', '"khong-co"')
        == (nowhere["errors"][0]["message"])
    )
    assert {**other["errors"][0], "message": ""} == {
        **nowhere["errors"][0],
        "message": "",
    }


@pytest.mark.parametrize("name", QUERIES)
def test_province_token_without_a_filter_sees_its_own_province_only(
    name, hanoi, hue, hanoi_token, stored_sales
):
    data = GraphQLClient(hanoi_token).query(QUERIES[name])["data"][name]

    text = str(data)
    assert "hue" not in text
    assert "Bánh" not in text  # Huế's product
    if name == "summary":
        assert data["provinces"] == 1
        assert data["sales"]["valueVnd"] == 300_000


@pytest.mark.parametrize("name", QUERIES)
def test_national_token_reads_every_province(
    name, hanoi, hue, national_token, stored_sales
):
    data = GraphQLClient(national_token).query(QUERIES[name])["data"][name]

    if name == "summary":
        assert data["sales"]["valueVnd"] == 300_000 + 70_000
    if name == "byProvince":
        slugs = [edge["node"]["province"]["slug"] for edge in data["edges"]]
        assert slugs == ["hanoi", "hue"]


def test_provinces_lists_only_the_token_s_province(hanoi, hue, hanoi_token, hue_token):
    query = "{ provinces { slug } }"

    assert GraphQLClient(hanoi_token).query(query)["data"]["provinces"] == [
        {"slug": "hanoi"}
    ]
    assert GraphQLClient(hue_token).query(query)["data"]["provinces"] == [
        {"slug": "hue"}
    ]


def test_national_staff_session_reads_every_province(national_staff_client, hanoi, hue):
    data = GraphQLClient(client=national_staff_client).query("{ provinces { slug } }")

    assert {row["slug"] for row in data["data"]["provinces"]} >= {"hanoi", "hue"}


def test_a_public_account_that_is_not_staff_is_refused(national_client, db):
    get_user_model().objects.create_user("khach@ketnoi.test", password=PASSWORD)
    national_client.force_login(
        get_user_model().objects.get(username="khach@ketnoi.test")
    )

    response = GraphQLClient(client=national_client).post("{ provinces { slug } }")

    assert response.status_code == 403
    assert "data" not in response.json()


def test_session_posts_need_the_csrf_token_but_token_posts_do_not(
    hanoi, hanoi_token, db
):
    browser = HostClient("localhost", enforce_csrf_checks=True)
    browser.force_login(get_user_model().objects.get(username="quocgia@ketnoi.test"))

    refused = GraphQLClient(client=browser).post("{ provinces { slug } }")
    tool = GraphQLClient(hanoi_token, HostClient("localhost", enforce_csrf_checks=True))

    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
    assert tool.post("{ provinces { slug } }").status_code == 200


def test_a_revoked_token_is_refused(hanoi, hanoi_token):
    token = ApiToken.objects.get(province=hanoi.province)
    services.revoke_token(token=token, actor="t")

    response = GraphQLClient(hanoi_token).post("{ provinces { slug } }")

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


def test_a_suspended_province_s_token_is_refused(hanoi, hanoi_token):
    hanoi.province.status = hanoi.province.Status.SUSPENDED
    hanoi.province.save()

    response = GraphQLClient(hanoi_token).post("{ provinces { slug } }")

    assert response.status_code == 401


def test_a_malformed_authorization_header_names_the_expected_form(db):
    response = HostClient("localhost").post(
        "/graphql/",
        {"query": "{ provinces { slug } }"},
        HTTP_AUTHORIZATION="Token x",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


def test_graphql_is_not_served_on_a_province_host(hanoi_client, hanoi_token):
    response = hanoi_client.post(
        "/graphql/",
        {"query": "{ provinces { slug } }"},
        HTTP_AUTHORIZATION=f"Bearer {hanoi_token}",
    )

    assert response.status_code == 404
