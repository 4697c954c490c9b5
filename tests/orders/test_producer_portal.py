"""A producer sees her purchase orders and payout statements, and nobody else's."""

from io import BytesIO

from django_tenants.utils import schema_context
from openpyxl import load_workbook

from catalog.models import Producer
from orders import services
from orders.models import PurchaseOrder
from tenants import roles

from .conftest import client_for, make_user, order_now


def _producer_user(shop, email: str, producer=None):
    user = make_user(email, roles.PRODUCERS)
    (producer or shop.producer).users.add(user)
    return user


def _consolidated(shop, schema, capture) -> PurchaseOrder:
    order_now(shop, schema, key="a", rice=2, greens="1.5")
    order_now(
        shop,
        schema,
        member=shop.other_member,
        point=shop.other_point,
        key="b",
        greens="3",
    )
    with schema_context(schema):
        with capture(execute=True):
            services.close_round(actor=shop.staff, sales_round=shop.sales_round)
        return PurchaseOrder.objects.get(sales_round=shop.sales_round)


def test_a_producer_sees_what_to_deliver_to_each_point(
    hanoi, shop, django_capture_on_commit_callbacks
):
    purchase_order = _consolidated(
        shop, hanoi.schema, django_capture_on_commit_callbacks
    )
    with schema_context(hanoi.schema):
        _producer_user(shop, "thu@htx.test")
    client = client_for(hanoi.host, "thu@htx.test")

    listing = client.get("/portal/nha-san-xuat/don-dat-hang/").content.decode()
    page = client.get(f"/portal/nha-san-xuat/don-dat-hang/{purchase_order.pk}/")

    assert "Đợt bán tháng 12" in listing and "Chưa quyết toán" in listing
    body = page.content.decode()
    assert body.index("Điểm Ba Đình") < body.index("Điểm Hàng Bạc")
    assert "12 Hàng Bạc" in body and "5 Đội Cấn" in body
    assert "Gạo ST25" in body and "Rau muống" in body
    assert "0912 345 678" in body  # the host to call on delivery day
    assert "361.000" in body  # 2 × 140.000 + 1,5 × 18.000 + 3 × 18.000
    assert "14,5 kg" in body and "2 túi" in body


def test_the_statement_shows_gross_fees_and_net_once_settled(
    hanoi, shop, django_capture_on_commit_callbacks
):
    purchase_order = _consolidated(
        shop, hanoi.schema, django_capture_on_commit_callbacks
    )
    with schema_context(hanoi.schema):
        _producer_user(shop, "thu@htx.test")
        services.settle_round(actor=shop.staff, sales_round=shop.sales_round)
        statement = shop.sales_round.settlements.get(kind="producer")
    client = client_for(hanoi.host, "thu@htx.test")

    body = client.get(
        f"/portal/nha-san-xuat/don-dat-hang/{purchase_order.pk}/"
    ).content.decode()

    assert statement.net == (
        statement.gross - statement.handling_fee - statement.transport_support
    )
    net = f"{statement.net:,}".replace(",", ".")
    assert f"<strong>{net}\u00a0₫</strong>" in body
    assert "Thực nhận" in body


def test_the_purchase_order_downloads_as_excel(
    hanoi, shop, django_capture_on_commit_callbacks
):
    purchase_order = _consolidated(
        shop, hanoi.schema, django_capture_on_commit_callbacks
    )
    with schema_context(hanoi.schema):
        _producer_user(shop, "thu@htx.test")
    client = client_for(hanoi.host, "thu@htx.test")

    response = client.get(
        f"/portal/nha-san-xuat/don-dat-hang/{purchase_order.pk}/?xuat=xlsx"
    )

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Điểm nhận hàng"
    assert sum(row[5] for row in rows[1:]) == purchase_order.value


def test_another_producer_members_and_other_provinces_get_nothing(
    hanoi, hue, shop, django_capture_on_commit_callbacks
):
    purchase_order = _consolidated(
        shop, hanoi.schema, django_capture_on_commit_callbacks
    )
    with schema_context(hanoi.schema):
        rival = Producer.objects.create(
            name="HTX Gạo Hải Hậu",
            slug="htx-gao",
            kind="cooperative",
            contact_name="Vũ Thị Na",
            phone="0922222222",
            province_code=1,
            status="verified",
        )
        _producer_user(shop, "na@gao.test", producer=rival)
    url = f"/portal/nha-san-xuat/don-dat-hang/{purchase_order.pk}/"

    rival_client = client_for(hanoi.host, "na@gao.test")
    member_client = client_for(hanoi.host, "hoivien@orders.test")
    hue_client = client_for(hue.host, hue.admin_email)

    assert rival_client.get(url).status_code == 404
    assert (
        "Đợt bán tháng 12"
        not in rival_client.get("/portal/nha-san-xuat/don-dat-hang/").content.decode()
    )
    assert member_client.get(url).status_code == 404
    assert hue_client.get(url).status_code == 404
