"""Importing members and branches: preview first, then all valid rows or nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_tenants.utils import schema_context
from openpyxl import Workbook

from network import importing
from network.importers import MemberImporter, OrgUnitImporter
from network.models import AuditEntry, Member, OrgUnit

from .conftest import HOAN_KIEM, logged_in

MEMBERS_CSV = (
    "Họ và tên,Số điện thoại,Chi hội,Phường/Xã,Ngày vào Hội\n"
    "Đỗ Thị Hằng,0901 000 001,Chi hội Hàng Bạc,Phường Hoàn Kiếm,08/03/2020\n"
    "Vũ Thị Nga,12345,Chi hội Hàng Bạc,,\n"
    "Lý Thị Hoa,0901000003,Chi hội không có,,\n"
    "Mạc Thị Yến,0901 000 001,Chi hội Hàng Bạc,,\n"
    "Tạ Thị Thu,0901000005,Tổ 1,,31/02/2020\n"
    "Hồ Thị Lệ,0901000006,Tổ 1,,\n"
)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def importer(hanoi, net):
    with schema_context(hanoi.schema):
        actor = get_user_model().objects.get(username=hanoi.staff_email)
    return MemberImporter(actor=actor)


def test_preview_lists_every_rows_problems_and_writes_nothing(hanoi, importer):
    with schema_context(hanoi.schema):
        before = Member.objects.count()
        preview = importing.preview(importer, MEMBERS_CSV.encode(), "hoi-vien.csv")

        problems = {row.number: row.problems for row in preview.rows}
        assert problems[2] == []
        assert "không phải số điện thoại" in problems[3][0]
        assert "Chi hội không có" in problems[4][0]
        assert "đã có ở một dòng khác" in problems[5][0]
        assert "31/02/2020" in problems[6][0]
        assert problems[7] == []
        assert Member.objects.count() == before


def test_valid_rows_mode_writes_the_good_rows_and_audits_them(hanoi, importer):
    with schema_context(hanoi.schema):
        result = importing.commit(
            importer, MEMBERS_CSV.encode(), "hv.csv", mode=importing.Mode.VALID_ROWS
        )
        assert (result.written, result.skipped) == (2, 4)
        hang = Member.objects.get(full_name="Đỗ Thị Hằng")
        assert str(hang.phone) == "+84901000001"
        assert hang.ward_code == HOAN_KIEM
        assert str(hang.joined_on) == "2020-03-08"
        assert AuditEntry.objects.filter(action="member.imported").count() == 2


def test_all_or_nothing_mode_writes_nothing_when_a_row_is_bad(hanoi, importer):
    with schema_context(hanoi.schema):
        before = Member.objects.count()
        result = importing.commit(
            importer, MEMBERS_CSV.encode(), "hv.csv", mode=importing.Mode.ALL_OR_NOTHING
        )
        assert result.refused and result.written == 0
        assert Member.objects.count() == before


def test_an_xlsx_with_utf8_bom_csv_and_numbers_as_cells_imports(hanoi, importer):
    data = xlsx([["Họ tên", "SĐT", "Chi hội"], ["Hà Thị Mơ", 912000111, "Tổ 1"]])
    with schema_context(hanoi.schema):
        result = importing.commit(
            importer, data, "list.xlsx", mode=importing.Mode.ALL_OR_NOTHING
        )
        assert result.written == 1
        csv_bom = "\ufeffHọ và tên;Số điện thoại;Chi hội\nLê Thị Na;0912000112;Tổ 1\n"
        result = importing.commit(
            importer, csv_bom.encode(), "l.csv", mode=importing.Mode.ALL_OR_NOTHING
        )
        assert result.written == 1


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"PK\x03\x04 not really a workbook", "list.xlsx", "malformed"),
        (b"\x00\x01\x02", "list.pdf", "wrong_type"),
        (b"", "list.csv", "empty"),
        ("Tên,Địa chỉ\nA,B\n".encode(), "list.csv", "missing_columns"),
        (b"x" * (importing.MAX_BYTES + 1), "list.csv", "too_large"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(hanoi, importer, data, name, code):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError) as error:
            importing.preview(importer, data, name)
        assert error.value.code == code
        assert error.value.messages[0]


def test_branches_import_places_them_under_their_commune_and_file_parents(hanoi, net):
    data = (
        "Tên đơn vị,Cấp,Mã,Thuộc,Phường/Xã\n"
        "Chi hội Hàng Đào,Chi hội,HK-HD,,Hoàn Kiếm\n"
        "Tổ 2 Hàng Đào,Tổ,,Chi hội Hàng Đào,\n"
        "Chi hội lạc,Chi hội,,,Phường Thuận Hóa\n"
    ).encode()
    with schema_context(hanoi.schema):
        actor = get_user_model().objects.get(username=hanoi.staff_email)
        result = importing.commit(
            OrgUnitImporter(actor=actor), data, "ch.csv", mode=importing.Mode.VALID_ROWS
        )
        assert (result.written, result.skipped) == (2, 1)
        hang_dao = OrgUnit.objects.get(code="HK-HD")
        assert hang_dao.get_parent() == net.commune
        assert hang_dao.ward_code == HOAN_KIEM
        group = OrgUnit.objects.get(name="Tổ 2 Hàng Đào")
        assert group.get_parent() == hang_dao
        # treebeard's own bookkeeping stays right after a bulk insert
        assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_staff_preview_and_confirm_an_import_in_the_admin(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    upload = io.BytesIO(MEMBERS_CSV.encode())
    upload.name = "hoi-vien.csv"
    response = client.post(
        "/admin/network/import/", {"kind": "members", "file": upload}
    )
    assert response.status_code == 302
    preview_url = response["Location"]

    page = client.get(preview_url).content.decode()
    assert 'class="problem" data-row="3"' in page
    assert 'class="ok" data-row="2"' in page

    client.post(preview_url, {"mode": "all"})
    with schema_context(hanoi.schema):
        assert not Member.objects.filter(full_name="Đỗ Thị Hằng").exists()
    client.post(preview_url, {"mode": "valid"})
    with schema_context(hanoi.schema):
        assert Member.objects.filter(full_name="Đỗ Thị Hằng").exists()


def test_another_users_import_token_answers_404(hanoi, hue, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    upload = io.BytesIO(MEMBERS_CSV.encode())
    upload.name = "hv.csv"
    url = client.post("/admin/network/import/", {"kind": "members", "file": upload})[
        "Location"
    ]
    other = logged_in(hanoi.host, hanoi.admin_email)
    assert other.get(url).status_code == 404
    assert other.get("/admin/network/import/no-such-token/").status_code == 404


def test_the_template_download_is_a_workbook_with_the_headers(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    response = client.get("/admin/network/import-template/members.xlsx")
    assert response.status_code == 200
    with schema_context(hanoi.schema):
        table = importing.read_table(response.content, "mau.xlsx")
    assert table[0][:2] == ["Họ và tên", "Số điện thoại"]


def test_the_generator_builds_a_consistent_network(hue):
    call_command(
        "generate_network",
        schema=hue.schema,
        branches=40,
        members=500,
        points=5,
        groups=2,
        stdout=io.StringIO(),
    )
    with schema_context(hue.schema):
        assert OrgUnit.objects.filter(level="branch").count() == 40
        assert Member.objects.count() == 500
        assert OrgUnit.find_problems() == ([], [], [], [], [])
        commune = OrgUnit.objects.filter(level="commune").first()
        assert commune.get_descendants().count() >= 1
