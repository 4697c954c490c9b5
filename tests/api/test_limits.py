"""Depth, cost and introspection limits, each with an error naming the problem."""

import graphene
from django.utils import translation
from graphql import parse, validate

from api.limits import depth_limit

from .conftest import GraphQLClient


def test_a_query_nested_past_the_depth_limit_is_rejected_before_it_runs():
    class Node(graphene.ObjectType):
        name = graphene.String()
        child = graphene.Field(lambda: Node)

    class Query(graphene.ObjectType):
        root = graphene.Field(Node)

    schema = graphene.Schema(query=Query).graphql_schema
    # root, then children, then name: each selection is one level.
    nine_levels = "{ root " + "{ child " * 7 + "{ name }" + " }" * 7 + " }"
    eight_levels = "{ root " + "{ child " * 6 + "{ name }" + " }" * 6 + " }"

    with translation.override("en"):
        errors = validate(schema, parse(nine_levels), [depth_limit(8)])

    assert len(errors) == 1
    assert "too deep" in errors[0].message and "limit is 8" in errors[0].message
    assert validate(schema, parse(eight_levels), [depth_limit(8)]) == []


def test_deeply_nested_introspection_is_rejected(national_token):
    query = (
        "{ __schema { types { fields { type { fields { type "
        + ("{ fields { type " * 6)
        + "{ name }"
        + " } }" * 6
        + " } } } } } }"
    )

    response = GraphQLClient(national_token).post(query)

    assert response.status_code == 400
    assert "too deep" in response.json()["errors"][0]["message"]


def test_a_daily_series_split_by_province_over_years_is_too_expensive(national_token):
    query = (
        "{ series(period: DAY, groupByProvince: true) "
        "{ period province { slug name } sales { orders tonnes valueVnd } } }"
    )

    response = GraphQLClient(national_token).post(query)

    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "too expensive" in message and "20000" in message
    assert "data" not in response.json()


def test_the_cost_estimate_reads_page_sizes_from_variables(national_token):
    query = (
        "query($n: Int) { topProducts(first: $n) { edges { node { name "
        "province { slug name code unitName } sales { orders quantity weightKg "
        "tonnes valueVnd marketValueVnd savingsVnd coordinatorFeesVnd } } } } }"
    )
    client = GraphQLClient(national_token)

    assert client.post(query, {"n": 100}).status_code == 200
    assert client.post(query, {"n": 100_000}).status_code == 400


def test_a_page_larger_than_the_limit_names_the_argument(national_token):
    body = GraphQLClient(national_token).query(
        "{ byProvince(first: 101) { totalCount } }"
    )

    assert "first must be between 1 and 100" in body["errors"][0]["message"]


def test_a_bad_cursor_is_named(national_token):
    body = GraphQLClient(national_token).query(
        '{ byProvince(after: "bogus") { totalCount } }'
    )

    assert 'Invalid cursor "bogus"' in body["errors"][0]["message"]


def test_a_date_range_ending_before_it_starts_is_named(national_token):
    body = GraphQLClient(national_token).query(
        '{ summary(filter: {dateFrom: "2026-05-01", dateTo: "2026-04-01"}) '
        "{ provinces } }"
    )

    assert "2026-05-01" in body["errors"][0]["message"]


def test_introspection_works_in_development(national_token):
    body = GraphQLClient(national_token).query("{ __schema { queryType { name } } }")

    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_is_off_in_production(national_token, settings):
    settings.PRODUCTION = True

    body = GraphQLClient(national_token).query("{ __schema { queryType { name } } }")

    assert "data" not in body
    assert "introspection" in body["errors"][0]["message"].lower()


def test_errors_are_in_vietnamese_unless_english_is_asked_for(national_token):
    query = "{ byProvince(first: 500) { totalCount } }"
    client = GraphQLClient(national_token)

    body = client.post(query, language="vi").json()

    assert "first phải từ 1 đến 100" in body["errors"][0]["message"]


def test_the_standard_validation_rules_still_apply(national_token):
    body = GraphQLClient(national_token).query("{ summary { noSuchField } }")

    assert "noSuchField" in body["errors"][0]["message"]
    assert "data" not in body


def test_a_daily_series_by_province_over_years_is_too_expensive(national_token):
    query = (
        "{ seriesByProvince(period: DAY) "
        "{ periods provinces { province { slug } orders tonnes valueVnd } } }"
    )

    response = GraphQLClient(national_token).post(query)

    assert response.status_code == 400
    assert "too expensive" in response.json()["errors"][0]["message"]


def test_a_monthly_series_by_province_over_years_is_allowed(national_token):
    query = (
        "{ seriesByProvince(period: MONTH) { periods provinces { province { slug } "
        "orders cancelledOrders quantity weightKg tonnes valueVnd marketValueVnd "
        "savingsVnd coordinatorFeesVnd } } }"
    )

    response = GraphQLClient(national_token).post(query)

    assert response.status_code == 200 and "errors" not in response.json()
