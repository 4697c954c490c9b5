"""The province's audit trail: staff read and export it; nobody edits it."""

import csv
import io

from django_tenants.utils import schema_context
from openpyxl import load_workbook

from network.models import AuditEntry

from .conftest import logged_in

TRAIL = "/admin/nhat-ky/"


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_staff_read_who_changed_what(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    page = client.get(TRAIL).content.decode()

    assert "Chi hội Hàng Bạc" in page and "Nguyễn Thị Lan" in page
    assert hanoi.staff_email in page


def test_the_trail_filters_by_action(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    page = client.get(TRAIL, {"action": "member.added"}).content.decode()

    assert "Nguyễn Thị Lan" in page and "Chi hội Hàng Bạc" not in page


def test_staff_export_the_trail_to_csv_and_excel(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    with schema_context(hanoi.schema):
        total = AuditEntry.objects.count()

    rows = list(csv.reader(io.StringIO(_body(client.get(TRAIL, {"export": "csv"})))))
    workbook = client.get(TRAIL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active

    assert len(rows) == total + 1 == sheet.max_row
    assert any("Nguyễn Thị Lan" in cell for row in rows for cell in row)


def test_nobody_adds_or_changes_an_audit_row_through_the_admin(hanoi, net):
    client = logged_in(hanoi.host, hanoi.admin_email)
    with schema_context(hanoi.schema):
        entry = AuditEntry.objects.order_by("pk").first()
        action = entry.action

    new = client.post(f"{TRAIL}new/", {"action": "forged"})
    edit = client.post(f"{TRAIL}edit/{entry.pk}/", {"action": "forged"})

    assert new.status_code != 200 and edit.status_code != 200
    with schema_context(hanoi.schema):
        assert not AuditEntry.objects.filter(action="forged").exists()
        assert AuditEntry.objects.get(pk=entry.pk).action == action


def test_coordinators_and_outsiders_get_nothing(hanoi, hue, net):
    coordinator = logged_in(hanoi.host, "dieuphoi@hanoi.test")
    from_hue = logged_in(hanoi.host, hue.staff_email)
    hue_staff = logged_in(hue.host, hue.staff_email)

    for client in (coordinator, from_hue):
        response = client.get(TRAIL)
        assert response.status_code != 200
        assert "Nguyễn Thị Lan" not in response.content.decode()
    at_home = hue_staff.get(TRAIL)
    assert at_home.status_code == 200
    assert "Nguyễn Thị Lan" not in at_home.content.decode()
