"""Staff add a member in a real browser, choosing her branch by searching."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from network.models import AuditEntry, Member, OrgUnit
from tests.cms.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import admin_desk

from .conftest import build_units

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium)",
    ),
]


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Keep the real hashers: signing in through the browser would otherwise
    rehash the session's admin password with the fast one, and commit it."""


@pytest.fixture
def committed_branch(committed_db, hanoi_live):
    with schema_context(hanoi_live.schema):
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)
        before = last_entry.first() or 0
        actor = get_user_model().objects.get(username=hanoi_live.staff_email)
        top, _commune, branch = build_units(actor, "Chi hội Phố cổ Hàng Bạc")

    def remove() -> None:
        with schema_context(hanoi_live.schema):
            Member.objects.filter(branch__path__startswith=top.path).delete()
            OrgUnit.objects.filter(path__startswith=top.path).delete()
            AuditEntry.objects.filter(pk__gt=before).delete()

    committed_db.append(remove)
    return branch


def test_staff_choose_a_branch_by_typing_it_without_accents(
    hanoi_live, committed_branch, site_server
):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            desk = admin_desk(browser, site_server, hanoi_live.admin_email)

            desk.goto(f"{site_server}/admin/network/member/new/")
            desk.fill("#id_full_name", "Phạm Thị Hoa")
            desk.fill("#id_phone", "0903 111 222")
            desk.click("button:has-text('Chọn đơn vị')")
            desk.fill(".modal #id_q", "pho co hang bac")
            desk.click(".modal a:has-text('Chi hội Phố cổ Hàng Bạc')")
            desk.wait_for_selector(".modal", state="hidden")
            desk.click("form[method=post] button[type=submit].button-longrunning")
            desk.wait_for_url(f"{site_server}/admin/network/member/")
        finally:
            browser.close()

    with schema_context(hanoi_live.schema):
        member = Member.objects.get(full_name="Phạm Thị Hoa")
        assert member.branch_id == committed_branch.pk
        assert str(member.phone) == "+84903111222"
