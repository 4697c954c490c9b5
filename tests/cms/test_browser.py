"""A staff member publishes a news article in the admin; a phone finds it."""

from pathlib import Path
from urllib.parse import unquote

import pytest
from django_tenants.utils import schema_context

from cms.models import NewsIndexPage
from tests.cms.conftest import home_page, publish
from tests.conftest import ROOT, admin_desk

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (apt-get install chromium)",
    ),
]


@pytest.fixture
def news_index(committed_db, hanoi_live):
    hanoi = hanoi_live
    with schema_context(hanoi.schema):
        index = publish(home_page(), NewsIndexPage(title="Tin tức", slug="tin-tuc"))

    def remove() -> None:
        with schema_context(hanoi.schema):
            NewsIndexPage.objects.get(pk=index.pk).delete()

    committed_db.append(remove)
    return index


def test_staff_publish_a_news_article_and_a_phone_finds_it(
    hanoi_live, news_index, site_server
):
    hanoi = hanoi_live
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            # given a staff member signed in to the province's admin
            desk = admin_desk(browser, site_server, hanoi.admin_email)

            # when they write and publish a news article
            desk.goto(f"{site_server}/admin/pages/add/cms/newspage/{news_index.pk}/")
            desk.fill("#id_title", "Phiên chợ hàng Việt tháng Chạp")
            desk.press("#id_title", "Tab")
            desk.fill("#id_intro", "60 gian hàng của chị em phụ nữ ngoại thành.")
            # The admin derives the page's address from the title.
            desk.wait_for_function("document.querySelector('#id_slug').value !== ''")
            slug = desk.eval_on_selector("#id_slug", "el => el.value")
            desk.eval_on_selector("button[name=action-publish]", "b => b.click()")
            desk.wait_for_url(f"{site_server}/admin/pages/{news_index.pk}/**")

            # then a member's phone finds it on the province's site
            phone = browser.new_page(
                viewport={"width": 390, "height": 844}, is_mobile=True, locale="vi-VN"
            )
            phone.set_default_timeout(90_000)
            phone.goto(f"{site_server}/tin-tuc/", wait_until="load")
            with phone.expect_navigation():
                phone.click("a:has-text('Phiên chợ hàng Việt tháng Chạp')")
            address = unquote(phone.url)
            heading = phone.text_content("h1")
            phone.screenshot(path=str(ARTIFACTS / "news-on-phone.png"), full_page=True)
            width = phone.evaluate("document.documentElement.scrollWidth")
        finally:
            browser.close()

    assert slug == "phiên-chợ-hàng-việt-tháng-chạp"
    assert address.endswith(f"/tin-tuc/{slug}/")
    assert heading == "Phiên chợ hàng Việt tháng Chạp"
    assert width <= 390  # nothing overflows the phone's screen


def test_the_browser_test_leaves_no_committed_pages_behind(hanoi):
    # Also makes pytest-django create the test database when this module runs
    # alone: it sets databases up only for tests that ask for `db`.
    with schema_context(hanoi.schema):
        assert not NewsIndexPage.objects.filter(slug="tin-tuc").exists()
