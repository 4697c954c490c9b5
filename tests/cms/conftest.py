import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from catalog import services as catalog
from cms.models import (
    CampaignPage,
    EventIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProducerStoryPage,
    StoryIndexPage,
)
from tenants import roles
from tests.conftest import PASSWORD
from tests.events.conftest import verified_producer


def png_bytes(width: int = 64, height: int = 48, colour=(179, 18, 91)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title: str = "Vườn rau", description: str = "Chị Lan bên luống rau"):
    image = get_image_model()(title=title, description=description)
    image.file = ImageFile(io.BytesIO(png_bytes()), name="rau.png")
    image.save()
    return image


def home_page() -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_site(*, with_image: bool = True) -> dict:
    """A province site with one page of every kind, all published."""
    home = home_page()
    image = make_image() if with_image else None
    news = publish(home, NewsIndexPage(title="Tin tức", slug="tin-tuc"))
    stories = publish(home, StoryIndexPage(title="Câu chuyện", slug="cau-chuyen"))
    events = publish(home, EventIndexPage(title="Sự kiện", slug="su-kien"))
    article = publish(
        news,
        NewsPage(
            title="Phiên chợ cuối tuần",
            slug="phien-cho-cuoi-tuan",
            intro="Hơn 40 gian hàng của chị em phụ nữ.",
            image=image,
        ),
    )
    story = publish(
        stories,
        ProducerStoryPage(
            title="Chị Lan và rau sạch Đông Anh",
            slug="chi-lan",
            producer_name="HTX Rau sạch Đông Anh",
            intro="Từ ba sào ruộng đến 20 điểm tiêu thụ.",
            search_description="Câu chuyện của một nữ chủ nhiệm hợp tác xã.",
            image=image,
        ),
    )
    campaign = publish(
        home,
        CampaignPage(
            title="Người Việt Nam ưu tiên dùng hàng Việt Nam",
            slug="hang-viet",
            intro="Chọn sản phẩm Việt, ủng hộ chị em sản xuất.",
        ),
    )
    return {
        "home": home,
        "news": news,
        "stories": stories,
        "events": events,
        "article": article,
        "story": story,
        "campaign": campaign,
        "image": image,
    }


def listed_producer(staff, name: str = "HTX Rau sạch Đông Anh"):
    producer = verified_producer(name, None, staff)
    today = timezone.localdate()
    certificate = catalog.add_certificate(
        producer=producer,
        actor=staff,
        kind="vietgap",
        number="VG-1",
        issuer="Chi cục Trồng trọt",
        issued_on=today - timedelta(days=10),
        expires_on=today + timedelta(days=300),
    )
    catalog.verify_certificate(certificate=certificate, actor=staff)
    return producer


def staff_of(province):
    return get_user_model().objects.get(username=province.staff_email)


def make_user(email: str, group: str | None):
    User = get_user_model()
    user = User.objects.create_user(username=email, email=email, password=PASSWORD)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def hanoi_site(hanoi):
    with schema_context(hanoi.schema):
        return build_site()


@pytest.fixture
def hanoi_staff_client(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.staff_email)
    return hanoi_client


@pytest.fixture
def hanoi_producer(hanoi):
    with schema_context(hanoi.schema):
        return make_user("nsx@hanoi.test", roles.PRODUCERS)
