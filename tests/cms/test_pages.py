import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cms.models import (
    CampaignPage,
    EventIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProducerStoryPage,
    StoryIndexPage,
)
from tests.cms.conftest import home_page, publish


@pytest.mark.parametrize(
    "child,parent,allowed",
    [
        (NewsIndexPage, HomePage, True),
        (StoryIndexPage, HomePage, True),
        (EventIndexPage, HomePage, True),
        (CampaignPage, HomePage, True),
        (NewsPage, NewsIndexPage, True),
        (ProducerStoryPage, StoryIndexPage, True),
        (NewsPage, HomePage, False),
        (NewsPage, StoryIndexPage, False),
        (ProducerStoryPage, NewsIndexPage, False),
        (ProducerStoryPage, HomePage, False),
        (CampaignPage, NewsIndexPage, False),
        (NewsIndexPage, NewsIndexPage, False),
        (EventIndexPage, StoryIndexPage, False),
    ],
)
def test_page_types_only_go_under_their_allowed_parents(db, child, parent, allowed):
    assert child.can_exist_under(parent()) is allowed


def test_leaf_pages_take_no_children(db):
    for leaf in (NewsPage, ProducerStoryPage, CampaignPage, EventIndexPage):
        assert leaf.allowed_subpage_models() == []


def test_a_province_has_one_home_page_and_one_events_page(hanoi, hanoi_site):
    with schema_context(hanoi.schema):
        home = home_page()

        assert not HomePage.can_create_at(home.get_parent())
        assert not EventIndexPage.can_create_at(home)
        assert not NewsIndexPage.can_create_at(home)


def test_every_page_of_the_site_renders(hanoi, hanoi_site, hanoi_client):
    for path in (
        "/",
        "/tin-tuc/",
        "/tin-tuc/phien-cho-cuoi-tuan/",
        "/cau-chuyen/",
        "/cau-chuyen/chi-lan/",
        "/su-kien/",
        "/hang-viet/",
    ):
        assert hanoi_client.get(path).status_code == 200, path


def test_home_page_shows_news_stories_campaign_and_zero_figures(
    hanoi, hanoi_site, hanoi_client
):
    html = hanoi_client.get("/").content.decode()

    assert "Phiên chợ cuối tuần" in html
    assert "Chị Lan và rau sạch Đông Anh" in html
    assert "Người Việt Nam ưu tiên dùng hàng Việt Nam" in html
    assert "Tác động của chúng tôi" in html  # the impact figures, in Vietnamese


def test_home_page_query_count_is_pinned(
    hanoi, hanoi_site, hanoi_client, django_assert_max_num_queries, settings
):
    settings.KETNOI_PAGE_CACHE_SECONDS = 0
    hanoi_client.get("/")  # warm Wagtail's site lookups

    # django-tenants sends a SET search_path before each query, so the pinned
    # figure is twice the 19 real queries of the home page.
    with django_assert_max_num_queries(38):
        assert hanoi_client.get("/").status_code == 200


def test_story_page_query_count_is_pinned(
    hanoi, hanoi_site, hanoi_client, django_assert_max_num_queries, settings
):
    settings.KETNOI_PAGE_CACHE_SECONDS = 0
    hanoi_client.get("/cau-chuyen/chi-lan/")

    with django_assert_max_num_queries(30):
        assert hanoi_client.get("/cau-chuyen/chi-lan/").status_code == 200


def test_images_are_served_as_resized_renditions_with_alt_text(
    hanoi, hanoi_site, hanoi_client
):
    html = hanoi_client.get("/tin-tuc/phien-cho-cuoi-tuan/").content.decode()

    assert "fill-800x450.format-webp" in html
    assert 'alt="Chị Lan bên luống rau"' in html


def test_hanoi_pages_do_not_exist_on_hues_site(hanoi, hue, hanoi_site, hue_client):
    assert hue_client.get("/tin-tuc/phien-cho-cuoi-tuan/").status_code == 404
    assert hue_client.get("/cau-chuyen/chi-lan/").status_code == 404
    assert "Phiên chợ cuối tuần" not in hue_client.get("/").content.decode()


def test_hues_admin_does_not_list_or_open_hanoi_pages(
    hanoi, hue, hanoi_site, hue_client
):
    hue_client.login_to_admin(hue.admin_email)
    page_id = hanoi_site["article"].pk

    search = hue_client.get("/admin/pages/search/", {"q": "Phiên chợ"})
    edit = hue_client.get(f"/admin/pages/{page_id}/edit/")

    assert "Phiên chợ cuối tuần" not in search.content.decode()
    assert edit.status_code in {302, 404}
    with schema_context(hue.schema):
        assert not NewsPage.objects.filter(title="Phiên chợ cuối tuần").exists()


def test_staff_can_create_and_publish_a_news_page_in_the_admin(
    hanoi, hanoi_site, hanoi_staff_client
):
    news = hanoi_site["news"]

    response = hanoi_staff_client.post(
        f"/admin/pages/add/cms/newspage/{news.pk}/",
        {
            "title": "Tập huấn an toàn thực phẩm",
            "slug": "tap-huan",
            "date": "2026-12-01",
            "intro": "Cho 200 hội viên.",
            "body-count": "0",
            "action-publish": "publish",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(hanoi.schema):
        assert NewsPage.objects.live().filter(slug="tap-huan").exists()


def test_scheduled_publishing_task_runs_in_every_province(hanoi, hue):
    from cms.tasks import publish_scheduled_pages

    assert publish_scheduled_pages() >= 2


def test_a_news_page_needs_a_summary(hanoi, hanoi_site):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError):
            publish(hanoi_site["news"], NewsPage(title="Thiếu tóm tắt", slug="x"))
