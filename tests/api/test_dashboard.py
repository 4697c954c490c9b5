"""The national dashboard at /bao-cao/ and its exports."""

import csv
import io

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from tests.conftest import PASSWORD


def test_anonymous_visitors_are_sent_to_sign_in(national_client, db):
    response = national_client.get("/bao-cao/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/bao-cao/")


def test_a_public_account_that_is_not_staff_gets_not_found(national_client, db):
    user = get_user_model().objects.create_user("khach@ketnoi.test", password=PASSWORD)
    national_client.force_login(user)

    assert national_client.get("/bao-cao/").status_code == 404
    assert national_client.get("/bao-cao/xuat.xlsx").status_code == 404


def test_the_dashboard_does_not_exist_on_a_province_host(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.admin_email)

    assert hanoi_client.get("/bao-cao/").status_code == 404


def test_national_staff_see_totals_chart_and_ranked_provinces(
    national_staff_client, stored_sales
):
    page = national_staff_client.get("/bao-cao/").content.decode()

    assert "370.000" in page  # value of both provinces, in đồng
    assert "<svg" in page and "<details>" in page
    assert page.index("Hà Nội") < page.index("Thành phố Huế</th>")


def test_the_province_table_sorts_by_any_figure(national_staff_client, stored_sales):
    page = national_staff_client.get("/bao-cao/?sort=tonnes&order=desc")
    table = page.content.decode().split('id="provinces"')[1]

    assert table.index("Thành phố Huế") < table.index("Thành phố Hà Nội")


def test_filters_narrow_the_figures(national_staff_client, stored_sales):
    page = national_staff_client.get("/bao-cao/?province=hue").content.decode()

    assert "70.000" in page and "370.000" not in page


def test_an_unknown_province_filter_is_named(national_staff_client, stored_sales):
    response = national_staff_client.get("/bao-cao/?province=khong-co")

    assert response.status_code == 400
    assert "khong-co" in response.content.decode()


def test_excel_export_holds_the_figures_on_screen(national_staff_client, stored_sales):
    query = "?sort=tonnes&order=desc&date_from=2026-03-01&date_to=2026-04-30"
    board = national_staff_client.get("/bao-cao/" + query).context["board"]

    response = national_staff_client.get("/bao-cao/xuat.xlsx" + query)

    workbook = load_workbook(io.BytesIO(response.content))
    totals, provinces, months = workbook.worksheets
    table = list(provinces.iter_rows(values_only=True))
    assert [row[0] for row in table[1:]] == [r.province.name for r in board.provinces]
    value_column = table[0].index(str(board.columns[2].label))
    assert [row[value_column] for row in table[1:]] == [
        r.sales.value_vnd for r in board.provinces
    ]
    assert (
        dict(totals.iter_rows(min_row=2, values_only=True))[str(board.columns[2].label)]
        == 370_000
    )
    assert months.max_row == 1 + len(board.months) == 4


def test_csv_export_holds_the_same_sections(national_staff_client, stored_sales):
    response = national_staff_client.get("/bao-cao/xuat.csv?province=hanoi")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    names = [row[0] for row in rows if row]
    assert len([row for row in rows if not row]) == 2  # three sections
    assert "Hội LHPN Thành phố Hà Nội" in names
    assert "Hội LHPN Thành phố Huế" not in names


def test_network_counts_are_current_whatever_the_period(
    national_staff_client, stored_sales, hanoi
):
    from api.models import ProvinceSnapshot

    ProvinceSnapshot.objects.filter(province=hanoi.province).update(members=4321)
    query = "?date_from=2020-01-01&date_to=2020-12-31"

    page = national_staff_client.get("/bao-cao/" + query)

    board = page.context["board"]
    members = next(v for c, v in board.cards if c.key == "members")
    orders = next(v for c, v in board.cards if c.key == "orders")
    assert (members, orders) == (4321, 0)
    assert 'id="current-counts"' in page.content.decode()
    current = [column.key for column in board.columns if column.current]
    assert "members" in current and "orders" not in current
