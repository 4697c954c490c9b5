"""Importing producers from staff's lists: preview first, then valid rows or nothing."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_tenants.utils import schema_context
from openpyxl import Workbook

from catalog import services
from catalog.importers import ProducerImporter
from catalog.models import Producer
from network import importing
from network.models import AuditEntry
from tests.conftest import HostClient

HEADERS = [
    "Tên cơ sở",
    "Loại hình",
    "Do nữ làm chủ",
    "Người liên hệ",
    "Điện thoại",
    "Email",
    "Địa chỉ",
    "Xã/phường",
    "Tỉnh nơi sản xuất",
    "Mô tả",
]
# Rows 2, 3 and 8 are valid; the catalog fixture already holds
# "HTX Rau sạch Văn Đức" with the phone 0912 345 678.
ROWS = [
    [
        "HTX Mây tre Phú Vinh",
        "HTX",
        "có",
        "Nguyễn Thị Hoa",
        "0901 111 222",
        "PhuVinh@htx.test",
        "Thôn Phú Vinh",
        "Phường Hoàn Kiếm",
        "",
        "Mây tre đan",
    ],
    [
        "Hộ Chè Thuận Hóa",
        "hộ kinh doanh",
        "x",
        "Lê Thị Hương",
        "0901111333",
        "",
        "",
        "Phường Thuận Hóa",
        "Thành phố Huế",
        "",
    ],
    ["HTX Rau sạch Văn Đức", "HTX", "có", "Lan", "0901111444", "", "", "", "", ""],
    ["Cơ sở Bánh Chưng", "xưởng", "có", "Mai", "0912 345 678", "", "", "", "", ""],
    ["htx mây tre phú vinh", "HTX", "", "Hoa", "0901111555", "", "", "", "", ""],
    [
        "Cơ sở Mật ong",
        "nông dân",
        "chắc",
        "",
        "0901 111 222",
        "khong-phai-email",
        "",
        "Phường Không Có",
        "",
        "",
    ],
    [
        "Nông trại Hoa Ban",
        "Nông dân",
        "không",
        "Trần Thị Ban",
        "0901111666",
        "",
        "",
        "",
        "Điện Biên",
        "",
    ],
    ["Cơ sở Sao Hỏa", "DN", "1", "Vân", "12345", "", "", "", "Tỉnh Sao Hỏa", ""],
]
VALID_NAMES = {"HTX Mây tre Phú Vinh", "Hộ Chè Thuận Hóa", "Nông trại Hoa Ban"}


def as_csv(rows: list[list], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILE = as_csv([HEADERS, *ROWS])


@pytest.fixture
def importer(in_hanoi):
    return ProducerImporter(actor=in_hanoi.staff)


def test_preview_lists_every_rows_problems_and_writes_nothing(in_hanoi, importer):
    before = Producer.objects.count()

    preview = importing.preview(importer, FILE, "nha-san-xuat.csv")

    problems = {row.number: " | ".join(row.problems) for row in preview.rows}
    assert problems[2] == problems[3] == problems[8] == ""
    assert "Đã có nhà sản xuất tên “HTX Rau sạch Văn Đức”" in problems[4]
    assert "“xưởng” không phải loại hình" in problems[5]
    assert "số điện thoại 0912 345 678" in problems[5]
    assert "đã có ở dòng 2 của tệp này" in problems[6]
    row7 = preview.rows[5].problems
    assert len(row7) == 5, row7  # yes/no, contact, phone twice, email, ward
    assert "“chắc” không phải có hay không" in problems[7]
    assert "Số điện thoại 0901 111 222 đã có ở dòng 2" in problems[7]
    assert "“khong-phai-email” không phải địa chỉ email" in problems[7]
    assert "Phường Không Có" in problems[7]
    assert "“12345” không phải số điện thoại" in problems[9]
    assert "Không có tỉnh, thành nào tên “Tỉnh Sao Hỏa”" in problems[9]
    assert Producer.objects.count() == before


def test_problems_read_in_english_for_an_english_user(in_hanoi, importer):
    with translation.override("en"):
        preview = importing.preview(importer, FILE, "producers.csv")

    assert "is not a kind of producer" in preview.rows[3].problems[0]


def test_valid_rows_mode_writes_exactly_the_valid_rows_as_applications(
    in_hanoi, importer
):
    before = set(Producer.objects.values_list("pk", flat=True))

    result = importing.commit(importer, FILE, "nsx.csv", mode=importing.Mode.VALID_ROWS)

    assert (result.written, result.skipped) == (3, 5)
    new = Producer.objects.exclude(pk__in=before)
    assert set(new.values_list("name", flat=True)) == VALID_NAMES
    assert set(new.values_list("status", flat=True)) == {Producer.Status.APPLIED}
    phu_vinh = new.get(name="HTX Mây tre Phú Vinh")
    assert str(phu_vinh.phone) == "+84901111222"
    assert (phu_vinh.kind, phu_vinh.women_owned) == ("cooperative", True)
    assert (phu_vinh.province_code, phu_vinh.ward_code) == (1, 70)
    assert phu_vinh.email == "phuvinh@htx.test"
    assert phu_vinh.story == "Mây tre đan"
    assert phu_vinh.slug == "htx-may-tre-phu-vinh"
    che = new.get(name="Hộ Chè Thuận Hóa")
    assert (che.kind, che.province_code, che.ward_code) == ("household", 46, 19786)
    hoa_ban = new.get(name="Nông trại Hoa Ban")
    assert (hoa_ban.kind, hoa_ban.women_owned, hoa_ban.province_code) == (
        "farmer",
        False,
        11,
    )
    audit = AuditEntry.objects.filter(action="imported")
    assert set(audit.values_list("object_id", flat=True)) == {
        str(pk) for pk in new.values_list("pk", flat=True)
    }
    assert {entry.actor for entry in audit} == {in_hanoi.staff}


def test_all_or_nothing_mode_writes_nothing_when_a_row_is_bad(in_hanoi, importer):
    before = Producer.objects.count()

    result = importing.commit(
        importer, FILE, "nsx.csv", mode=importing.Mode.ALL_OR_NOTHING
    )

    assert result.refused and result.written == 0
    assert Producer.objects.count() == before
    assert not AuditEntry.objects.filter(action="imported").exists()


def test_all_or_nothing_mode_writes_a_clean_file_whole(in_hanoi, importer):
    clean = as_csv([HEADERS, ROWS[0], ROWS[1]], delimiter=";")

    result = importing.commit(
        importer, clean, "nsx.csv", mode=importing.Mode.ALL_OR_NOTHING
    )

    assert (result.written, result.refused) == (2, False)
    assert Producer.objects.filter(name="Hộ Chè Thuận Hóa").exists()


def test_an_xlsx_with_numbers_in_cells_imports(in_hanoi, importer):
    data = as_xlsx(
        [
            ["Tên nhà sản xuất", "Loại hình", "Do nữ làm chủ", "Chủ cơ sở", "SĐT"],
            ["Công ty Gốm Bát Tràng", "doanh nghiệp", 1, "Phạm Thị Gốm", 912000111],
            ["Cơ sở chưa rõ", "không biết", 0, "Ai đó", 912000112],
        ]
    )

    preview = importing.preview(importer, data, "nsx.xlsx")
    result = importing.commit(
        importer, data, "nsx.xlsx", mode=importing.Mode.VALID_ROWS
    )

    assert [row.ok for row in preview.rows] == [True, False]
    assert result.written == 1
    gom = Producer.objects.get(name="Công ty Gốm Bát Tràng")
    assert (gom.kind, gom.women_owned, str(gom.phone)) == (
        "enterprise",
        True,
        "+84912000111",
    )
    assert gom.province_code == 1  # the importing province when the column is out


def test_a_file_without_the_phone_column_is_refused_whole(in_hanoi, importer):
    data = as_csv([["Tên cơ sở", "Loại hình", "Người liên hệ"], ["A", "HTX", "B"]])

    with pytest.raises(ValidationError) as error:
        importing.preview(importer, data, "nsx.csv")

    assert error.value.code == "missing_columns"
    assert "Số điện thoại" in error.value.messages[0]


def test_a_second_import_of_the_same_file_finds_every_row_a_duplicate(
    in_hanoi, importer
):
    importing.commit(importer, FILE, "nsx.csv", mode=importing.Mode.VALID_ROWS)

    again = importing.preview(importer, FILE, "nsx.csv")

    assert not again.valid_rows
    assert "Đã có nhà sản xuất tên “HTX Mây tre Phú Vinh”" in again.rows[0].problems[0]
    assert "Đã có nhà sản xuất với số điện thoại" in again.rows[0].problems[1]


def test_the_service_refuses_anyone_but_staff(in_hanoi):
    row = {
        "name": "HTX Lén",
        "kind": "cooperative",
        "contact_name": "X",
        "phone": "0901111999",
        "province_code": 1,
    }

    with pytest.raises(PermissionDenied):
        services.import_producers(actor=in_hanoi.owner_a, rows=[row])

    assert not Producer.objects.filter(name="HTX Lén").exists()


# --- the admin screens over HTTP --------------------------------------------


def _upload(client: HostClient, data: bytes = FILE, name: str = "nsx.csv"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post("/admin/network/import/", {"kind": "producers", "file": upload})


def test_staff_preview_and_confirm_a_producer_import_in_the_admin(catalog, hanoi):
    client = HostClient(hanoi.host)
    client.login_to_admin(hanoi.staff_email)
    assert 'value="producers"' in client.get("/admin/network/import/").content.decode()

    response = _upload(client)
    assert response.status_code == 302
    preview_url = response["Location"]

    page = client.get(preview_url).content.decode()
    assert 'class="ok" data-row="2"' in page
    assert 'class="problem" data-row="4"' in page
    assert "đã có ở dòng 2 của tệp này" in page

    client.post(preview_url, {"mode": "all"})
    with schema_context(hanoi.schema):
        assert not Producer.objects.filter(name__in=VALID_NAMES).exists()

    response = client.post(preview_url, {"mode": "valid"})
    assert response["Location"] == "/admin/catalog_producers/"
    with schema_context(hanoi.schema):
        assert (
            set(
                Producer.objects.filter(name__in=VALID_NAMES).values_list(
                    "name", flat=True
                )
            )
            == VALID_NAMES
        )
    assert client.get(preview_url).status_code == 404  # the file is forgotten


def test_a_hue_import_lands_in_hue_only(catalog, hanoi, hue):
    client = HostClient(hue.host)
    client.login_to_admin(hue.staff_email)
    preview_url = _upload(client)["Location"]

    client.post(preview_url, {"mode": "valid"})

    with schema_context(hue.schema):
        names = set(Producer.objects.values_list("name", flat=True))
        # Hoàn Kiếm is not in Huế, the default province of Huế's list.
        assert "HTX Mây tre Phú Vinh" not in names
        assert {"HTX Rau sạch Văn Đức", "Hộ Chè Thuận Hóa"} <= names
    with schema_context(hanoi.schema):
        assert not Producer.objects.filter(name__in=VALID_NAMES).exists()


@pytest.mark.parametrize("who", ["hue_staff", "producer", "member"])
def test_outsiders_cannot_import_producers(catalog, hanoi, hue, who):
    email = {
        "hue_staff": hue.staff_email,
        "producer": catalog.owner_a.email,
        "member": catalog.member.email,
    }[who]
    client = HostClient(hanoi.host)
    client.login_to_admin(email)

    assert client.get("/admin/network/import/").status_code in (302, 404)
    response = _upload(client)

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
    template = client.get("/admin/network/import-template/producers.xlsx")
    assert template.status_code in (302, 404)
    with schema_context(hanoi.schema):
        assert not Producer.objects.filter(name__in=VALID_NAMES).exists()


def test_an_outsider_cannot_confirm_staffs_pending_import(catalog, hanoi):
    staff = HostClient(hanoi.host)
    staff.login_to_admin(hanoi.staff_email)
    preview_url = _upload(staff)["Location"]
    producer = HostClient(hanoi.host)
    producer.login_to_admin(catalog.owner_a.email)

    response = producer.post(preview_url, {"mode": "valid"})

    assert response.status_code in (302, 404)
    with schema_context(hanoi.schema):
        assert not Producer.objects.filter(name__in=VALID_NAMES).exists()


def test_the_template_download_round_trips_through_the_import(catalog, hanoi):
    client = HostClient(hanoi.host)
    client.login_to_admin(hanoi.staff_email)

    response = client.get("/admin/network/import-template/producers.xlsx")

    assert response.status_code == 200
    with schema_context(hanoi.schema):
        table = importing.read_table(response.content, "mau.xlsx")
        assert table[0][:2] == ["Tên cơ sở", "Loại hình"]
        preview = importing.preview(
            ProducerImporter(actor=catalog.staff), response.content, "mau.xlsx"
        )
    assert [row.problems for row in preview.rows] == [[]]
    assert not preview.ignored_headers
