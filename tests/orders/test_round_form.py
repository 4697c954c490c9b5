"""The round form in the Wagtail admin writes only through `save_round`."""

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from orders.models import RoundPoint, RoundProduct, SalesRound

from .conftest import order_now


def _form(shop, **changes) -> dict[str, str]:
    now = timezone.localtime()
    form = {
        "name": "Đợt vải thiều",
        "opens_at": now.strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "delivery_on": (now + datetime.timedelta(days=2)).strftime("%Y-%m-%d"),
        "handling_fee_kind": "percent",
        "handling_fee_value": "500",
        "transport_kind": "per_kg",
        "transport_value": "200",
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "1000",
        "products-0-product": str(shop.rice.product_id),
        "products-0-price": "130000",
        "products-0-cap": "100",
        "products-0-id": "",
        "products-0-ORDER": "1",
        "products-0-DELETE": "",
        "points-TOTAL_FORMS": "1",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-point": str(shop.point.pk),
        "points-0-id": "",
        "points-0-ORDER": "1",
        "points-0-DELETE": "",
    }
    return form | changes


def _rounds(schema: str) -> int:
    with schema_context(schema):
        return SalesRound.objects.count()


def test_it_creates_a_round_with_its_products_and_points(hanoi, shop, staff_client):
    answer = staff_client.post("/admin/orders/rounds/new/", _form(shop))

    assert answer.status_code == 302
    with schema_context(hanoi.schema):
        created = SalesRound.objects.get(name="Đợt vải thiều")
        assert created.status == SalesRound.Status.DRAFT
        assert RoundProduct.objects.get(sales_round=created).cap == 100
        assert RoundPoint.objects.get(sales_round=created).point_id == shop.point.pk


def test_bad_rounds_are_refused_with_a_reason_and_write_nothing(
    hanoi, shop, staff_client
):
    now = timezone.localtime()
    before = _rounds(hanoi.schema)
    staff_client.cookies["django_language"] = "en"
    cases = {
        "Ordering must close after it opens.": {
            "closes_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
        },
        "Delivery cannot come before ordering closes.": {
            "delivery_on": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        },
        "A quantity cap cannot be negative.": {"products-0-cap": "-1"},
        "A percentage fee cannot exceed 100%.": {"handling_fee_value": "10001"},
        "Every product needs a round price above zero.": {"products-0-price": "0"},
    }

    for reason, change in cases.items():
        answer = staff_client.post(
            "/admin/orders/rounds/new/",
            _form(shop, **change),
        )
        assert answer.status_code == 200, reason
        assert reason in answer.content.decode(), reason

    assert _rounds(hanoi.schema) == before
    with schema_context(hanoi.schema):
        assert not RoundProduct.objects.exclude(sales_round=shop.sales_round).exists()


def test_an_edit_cannot_lower_a_cap_below_what_is_sold_or_undo_sales(
    hanoi, shop, staff_client
):
    order_now(shop, hanoi.schema, rice=3)
    edit = staff_client.get(f"/admin/orders/rounds/edit/{shop.sales_round.pk}/")
    form = edit.context["form"]
    data = {
        **{
            k: v
            for k, v in _form(shop).items()
            if not k.startswith(("products", "points"))
        },
        "name": shop.sales_round.name,
    }
    for prefix, formset in form.formsets.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, sub in enumerate(formset.forms):
            for name, field in sub.fields.items():
                value = sub.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
    rice_index = next(
        i
        for i, sub in enumerate(form.formsets["products"].forms)
        if sub.instance.pk == shop.rice.pk
    )
    data[f"products-{rice_index}-cap"] = "2"
    staff_client.cookies["django_language"] = "en"

    refused = staff_client.post(
        f"/admin/orders/rounds/edit/{shop.sales_round.pk}/",
        data,
    )
    data[f"products-{rice_index}-cap"] = "40"
    accepted = staff_client.post(
        f"/admin/orders/rounds/edit/{shop.sales_round.pk}/", data
    )

    assert refused.status_code == 200
    assert "below what is already sold" in refused.content.decode()
    assert accepted.status_code == 302
    with schema_context(hanoi.schema):
        shop.rice.refresh_from_db()
    assert shop.rice.cap == 40 and shop.rice.sold == 3
