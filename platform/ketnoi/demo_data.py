"""Demo content for a province: network, catalog, an open round, events, pages.

Everything is built through the apps' services, as union staff would build it,
so the records carry their audit rows and pass the same checks. Seeding is
idempotent: each step first looks for what an earlier run made (by a unit
code, a phone number, a name or a slug) and leaves it as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from phonenumber_field.phonenumber import to_python as to_phone
from vietnam_provinces import Province as OfficialProvince
from vietnam_provinces import ProvinceCode
from wagtail.models import Site
from wagtail.rich_text import RichText

from catalog import services as catalog
from catalog.models import Category, Certificate, Producer, Product
from cms.models import (
    EventIndexPage,
    NewsIndexPage,
    NewsPage,
    ProducerStoryPage,
    StoryIndexPage,
)
from events import services as events
from events.models import Fair, Livestream
from network import services as network
from network.models import Member, OrgUnit, PickupPoint, SupportGroup
from network.units import ward_choices
from orders import services as orders
from orders.models import Order, PaymentSettings, SalesRound
from tenants import roles
from tenants.models import Province

ROUND_NAME = "Đợt bán nông sản an toàn tuần này"
FAIR_TITLE = "Hội chợ sản phẩm OCOP và nông sản an toàn của phụ nữ"
LIVESTREAM_TITLE = "Livestream: Đặc sản quê hương, giá ưu đãi cho hội viên"

CATEGORIES = [
    ("rau-cu", "Rau củ"),
    ("trai-cay", "Trái cây"),
    ("gao-va-ngu-coc", "Gạo và ngũ cốc"),
    ("dac-san", "Đặc sản"),
    ("thuy-san", "Thủy sản"),
]

# name, kind, women-owned, contact, phone, story.
PRODUCERS = [
    (
        "HTX Rau an toàn Hoa Sen",
        "cooperative",
        True,
        "Nguyễn Thị Lan",
        "0912345601",
        "Mười hai chị em trong xã cùng trồng rau theo VietGAP, không dùng thuốc "
        "trừ cỏ, thu hoạch buổi sáng và giao ngay trong ngày.",
    ),
    (
        "Hộ kinh doanh Trái cây Chị Hằng",
        "household",
        True,
        "Trần Thị Hằng",
        "0987654302",
        "Vườn bưởi và cam của gia đình chị Hằng đã ba đời, chăm bằng phân "
        "chuồng ủ hoai và bẫy côn trùng sinh học.",
    ),
    (
        "Công ty TNHH Thực phẩm Sen Vàng",
        "enterprise",
        True,
        "Lê Thị Thu Hà",
        "0903456703",
        "Doanh nghiệp do nữ làm chủ, chế biến trà sen, mật ong và miến dong "
        "từ nguyên liệu của các hộ phụ nữ trong vùng.",
    ),
    (
        "HTX Gạo sạch Đồng Xanh",
        "cooperative",
        False,
        "Phạm Văn Hùng",
        "0978123404",
        "Hợp tác xã liên kết 60 hộ trồng lúa theo quy trình giảm phân bón hóa "
        "học, xay xát tại chỗ để gạo giữ được mùi thơm.",
    ),
    (
        "HTX Thủy sản Bình Minh",
        "cooperative",
        True,
        "Võ Thị Minh",
        "0358765405",
        "Chị em nuôi tôm, cá trong ao sinh thái, thu hoạch theo đơn của các "
        "điểm tiêu thụ để hàng luôn tươi.",
    ),
]

# producer index, category slug, name, unit, kg per unit, price, market price,
# story.
PRODUCTS = [
    (
        0,
        "rau-cu",
        "Rau muống VietGAP",
        "bunch",
        "0.5",
        12_000,
        15_000,
        "Rau muống cắt buổi sáng, bó nửa cân, giòn và ngọt.",
    ),
    (
        0,
        "rau-cu",
        "Cải ngọt hữu cơ",
        "kg",
        None,
        28_000,
        35_000,
        "Cải ngọt trồng trên đất nghỉ một vụ, bón phân hữu cơ.",
    ),
    (
        0,
        "rau-cu",
        "Cà chua bi",
        "box",
        "0.5",
        30_000,
        38_000,
        "Hộp nửa cân cà chua bi chín cây.",
    ),
    (
        1,
        "trai-cay",
        "Bưởi Diễn",
        "piece",
        "1.2",
        45_000,
        60_000,
        "Bưởi Diễn múi vàng, ngọt thanh, để được lâu.",
    ),
    (
        1,
        "trai-cay",
        "Cam Canh",
        "kg",
        None,
        40_000,
        50_000,
        "Cam Canh vỏ mỏng, nhiều nước.",
    ),
    (
        2,
        "dac-san",
        "Trà sen Tây Hồ",
        "box",
        "0.2",
        350_000,
        420_000,
        "Trà ướp bằng gạo sen của đầm, mỗi hộp 200 g.",
    ),
    (
        2,
        "dac-san",
        "Mật ong hoa nhãn",
        "bottle",
        "0.5",
        180_000,
        220_000,
        "Mật ong nguyên chất từ đàn ong nuôi ở vườn nhãn.",
    ),
    (
        2,
        "dac-san",
        "Miến dong",
        "bag",
        "0.5",
        45_000,
        55_000,
        "Miến làm từ tinh bột dong riềng, không chất tẩy trắng.",
    ),
    (
        3,
        "gao-va-ngu-coc",
        "Gạo tám thơm",
        "bag",
        "5",
        125_000,
        150_000,
        "Túi 5 kg gạo tám vụ mùa, cơm dẻo và thơm.",
    ),
    (
        3,
        "gao-va-ngu-coc",
        "Gạo lứt đỏ",
        "bag",
        "2",
        70_000,
        85_000,
        "Gạo lứt đỏ giữ nguyên cám, tốt cho người ăn kiêng.",
    ),
    (
        4,
        "thuy-san",
        "Tôm thẻ ao sinh thái",
        "kg",
        None,
        220_000,
        260_000,
        "Tôm nuôi mật độ thưa, không kháng sinh, giao trong ngày.",
    ),
    (
        4,
        "thuy-san",
        "Cá rô đồng",
        "kg",
        None,
        90_000,
        110_000,
        "Cá rô đồng nuôi trong ruộng lúa, làm sạch theo yêu cầu.",
    ),
]

# full name, phone; the first two host the pickup points, the third orders
# online with an account.
MEMBERS = [
    ("Nguyễn Thị Mai", "0912000101"),
    ("Trần Thị Hoa", "0983000102"),
    ("Phạm Thị Thu", "0904000103"),
    ("Lê Thị Hồng", "0976000104"),
    ("Hoàng Thị Yến", "0965000105"),
    ("Vũ Thị Ngọc", "0886000106"),
    ("Đặng Thị Hạnh", "0353000107"),
    ("Bùi Thị Loan", "0707000108"),
    ("Đỗ Thị Phương", "0779000109"),
    ("Ngô Thị Dung", "0868000110"),
]


@dataclass
class DemoLogins:
    coordinator: str
    producer: str
    member_email: str
    member_phone: str


def demo_emails(slug: str) -> DemoLogins:
    return DemoLogins(
        coordinator=f"dieuphoi@{slug}.ketnoi.vn",
        producer=f"sanxuat@{slug}.ketnoi.vn",
        member_email=f"hoivien@{slug}.ketnoi.vn",
        member_phone=MEMBERS[2][1],
    )


def seed_province(province: Province, *, password: str) -> DemoLogins:
    """Fill a provisioned province with a small working example of the model."""
    logins = demo_emails(province.slug)
    with tenant_context(province), transaction.atomic():
        staff = (
            get_user_model()
            .objects.filter(groups__name=roles.PROVINCE_ADMINS)
            .order_by("pk")
            .first()
        )
        place = _Place(province.province_code)
        people = _seed_network(place, staff, logins, password)
        products = _seed_catalog(place, staff, logins, password)
        _seed_orders(province, staff, people, products)
        _seed_events(place, staff, products)
        _seed_pages(place, products)
    return logins


class _Place:
    """Names and codes of the province's real communes and wards."""

    def __init__(self, province_code: int):
        self.code = province_code
        self.name = OfficialProvince.from_code(ProvinceCode(province_code)).name
        self.wards = list(ward_choices(province_code))

    def ward(self, index: int) -> tuple[str, str]:
        return self.wards[index % len(self.wards)]

    def origin(self, index: int) -> str:
        return f"{self.ward(index)[1]}, {self.name}"


def _user(email: str, password: str, group: str | None = None) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User.objects.create_user(email, email, password)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


# --- network --------------------------------------------------------------------


@dataclass
class _People:
    coordinator: Any
    member: Member
    neighbours: list[Member]
    points: list[PickupPoint]


def _unit(staff, *, code: str, **fields) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return network.create_org_unit(actor=staff, code=code, **fields)


def _seed_network(place: _Place, staff, logins: DemoLogins, password: str):
    top = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE).first() or _unit(
        staff, code="TINH", name=f"Hội LHPN {place.name}", level="province"
    )
    communes = [
        _unit(
            staff,
            code=f"XA-{ward_code}",
            name=f"Hội LHPN {ward_name}",
            level="commune",
            parent=top,
            ward_code=ward_code,
        )
        for ward_code, ward_name in (place.ward(0), place.ward(1))
    ]
    branches = [
        _unit(staff, code=code, name=name, level="branch", parent=commune)
        for code, name, commune in (
            ("CH-01", "Chi hội Tổ dân phố số 1", communes[0]),
            ("CH-02", "Chi hội Tổ dân phố số 5", communes[0]),
            ("CH-03", "Chi hội Khu dân cư Hòa Bình", communes[1]),
        )
    ]
    _unit(staff, code="TO-01", name="Tổ phụ nữ số 1", level="group", parent=branches[0])

    member_user = _user(logins.member_email, password)
    members = []
    for index, (full_name, phone) in enumerate(MEMBERS):
        member = Member.objects.filter(phone=to_phone(phone, region="VN")).first()
        if member is None:
            branch = branches[index % len(branches)]
            member = network.add_member(
                actor=staff,
                full_name=full_name,
                phone=phone,
                branch=branch,
                email=logins.member_email if index == 2 else "",
                address=f"Số {12 + index * 7}, {branch.name}",
                user=member_user if index == 2 else None,
            )
        members.append(member)

    coordinator = _user(logins.coordinator, password, roles.COORDINATORS)
    points = []
    for host, commune, hours in (
        (members[0], communes[0], "Thứ Bảy 7:00–11:00, Chủ nhật 16:00–19:00"),
        (members[1], communes[1], "Thứ Năm và Chủ nhật 17:00–20:00"),
    ):
        name = f"Điểm tiêu thụ nhà chị {host.full_name.split()[-1]}"
        point = PickupPoint.objects.filter(name=name).first()
        if point is None:
            point = network.create_pickup_point(
                actor=staff,
                name=name,
                host=host,
                address=host.address,
                ward_code=commune.ward_code,
                opening_hours=hours,
                has_cold_storage=host is members[0],
                offers_home_delivery=True,
                org_unit=commune,
                coordinators=[coordinator] if host is members[0] else [],
            )
        points.append(point)

    group_name = f"Nhóm hỗ trợ tiêu thụ {communes[0].name.removeprefix('Hội LHPN ')}"
    if not SupportGroup.objects.filter(name=group_name).exists():
        network.create_support_group(
            actor=staff,
            name=group_name,
            area=communes[0].name,
            org_unit=communes[0],
            coordinators=[coordinator],
            members=members[:4],
        )
    return _People(coordinator, members[2], [members[3], members[4]], points)


# --- catalog --------------------------------------------------------------------


def _certify(staff, producer: Producer, kind: str, number: str, **fields) -> None:
    today = timezone.localdate()
    if kind != Certificate.Kind.EXEMPT:
        fields.setdefault("issuer", "Sở Nông nghiệp và Môi trường")
        fields.setdefault("issued_on", today - datetime.timedelta(days=90))
        fields.setdefault("expires_on", today + datetime.timedelta(days=500))
    certificate = catalog.add_certificate(
        producer=producer, actor=staff, kind=kind, number=number, **fields
    )
    catalog.verify_certificate(certificate=certificate, actor=staff)


def _seed_catalog(place: _Place, staff, logins: DemoLogins, password: str):
    categories = {}
    for order, (slug, name) in enumerate(CATEGORIES, start=1):
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )

    producers = []
    for index, (name, kind, women, contact, phone, story) in enumerate(PRODUCERS):
        producer = Producer.objects.filter(name=name).first()
        if producer is None:
            # The first producer gets the demo portal account.
            account = {"email": logins.producer, "password": password}
            producer = catalog.apply_producer(
                actor=staff,
                name=name,
                kind=kind,
                women_owned=women,
                contact_name=contact,
                phone=phone,
                province_code=place.code,
                ward_code=place.ward(index + 2)[0],
                address=f"{place.origin(index + 2)}",
                story=story,
                **(account if index == 0 else {}),
            )
        if producer.status != Producer.Status.VERIFIED:
            producer = catalog.verify_producer(producer=producer, actor=staff)
        producers.append(producer)

    if not Certificate.objects.exists():
        _certify(staff, producers[0], "vietgap", "VietGAP-TT-01-0231")
        _certify(staff, producers[1], "exempt", "")
        _certify(staff, producers[2], "ocop", "OCOP-2025-0412", ocop_stars=4)
        _certify(
            staff,
            producers[2],
            "food_safety",
            "ATTP-1187/2025",
            issuer="Chi cục An toàn vệ sinh thực phẩm",
        )
        _certify(staff, producers[3], "ocop", "OCOP-2025-0587", ocop_stars=3)
        _certify(staff, producers[4], "food_safety", "ATTP-0954/2025")

    products = []
    for row in PRODUCTS:
        owner, category, name, unit, weight, price, market, story = row
        producer = producers[owner]
        product = Product.objects.filter(producer=producer, name=name).first()
        if product is None:
            product = catalog.create_product(
                producer=producer,
                actor=staff,
                category=categories[category],
                name=name,
                unit=unit,
                unit_weight_kg=Decimal(weight) if weight else None,
                price=price,
                market_price=market,
                stock=200,
                story=story,
                origin=place.origin(owner + 2),
                vietnamese_goods=True,
            )
        products.append(product)
    return products


# --- orders ---------------------------------------------------------------------


def _seed_orders(province: Province, staff, people: _People, products) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    account = PaymentSettings.for_site(site)
    if not account.ready:
        account.bank_bin = "970436"
        account.account_number = "0011004567890"
        account.account_name = "HOI LHPN DEMO"
        account.save()

    now = timezone.now()
    sales_round = SalesRound.objects.filter(
        name=ROUND_NAME, status=SalesRound.Status.OPEN, closes_at__gt=now
    ).first()
    if sales_round is None:
        # The last product stays out of the round, as happens in real rounds.
        offers = [
            (product, product.price - product.price // 20 // 1000 * 1000, None)
            for product in products[:-1]
        ]
        sales_round = orders.create_round(
            actor=staff,
            name=ROUND_NAME,
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=5),
            delivery_on=timezone.localdate() + datetime.timedelta(days=7),
            offers=offers,
            points=people.points,
            handling_fee_kind=SalesRound.HandlingFeeKind.PERCENT,
            handling_fee_value=300,
            transport_kind=SalesRound.TransportKind.PER_KG,
            transport_value=500,
        )
        orders.open_round(actor=staff, sales_round=sales_round)

    offers = list(sales_round.products.order_by("pk"))
    baskets = [
        (people.member, people.member.user, {0: 2, 8: 1, 6: 1}, Order.Payment.TRANSFER),
        (people.neighbours[0], people.coordinator, {1: 1, 3: 2}, Order.Payment.CASH),
        (people.neighbours[1], people.coordinator, {10: 1, 4: 2}, Order.Payment.CASH),
    ]
    for number, (member, actor, basket, payment) in enumerate(baskets, start=1):
        # The key makes a second run find the order it placed the first time.
        orders.place_order(
            actor=actor,
            member=member,
            sales_round=sales_round,
            point=people.points[0],
            quantities={offers[i].pk: qty for i, qty in basket.items()},
            idempotency_key=f"demo-{sales_round.pk}-{number}",
            payment_method=payment,
        )


# --- events ---------------------------------------------------------------------


def _seed_events(place: _Place, staff, products) -> None:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    if not Fair.objects.filter(title=FAIR_TITLE).exists():
        opens = datetime.datetime.combine(
            today + datetime.timedelta(days=10), datetime.time(8), tz
        )
        fair = events.create_fair(
            actor=staff,
            kind=Fair.Kind.FAIR,
            title=FAIR_TITLE,
            starts_at=opens,
            ends_at=opens + datetime.timedelta(days=2, hours=13),
            venue=f"Nhà văn hóa {place.ward(0)[1]}",
            organisers=f"Hội LHPN {place.name}",
            description="Hơn 30 gian hàng của chị em phụ nữ sản xuất, kinh doanh.",
            ward_code=place.ward(0)[0],
            status=Fair.Status.OPEN,
        )
        producer = products[5].producer
        booth = events.apply_for_booth(
            actor=staff,
            fair=fair,
            producer=producer,
            products=[p for p in products if p.producer_id == producer.pk],
        )
        events.accept_booth(actor=staff, booth=booth, label="Gian A01")

    if not Livestream.objects.filter(title=LIVESTREAM_TITLE).exists():
        events.schedule_livestream(
            actor=staff,
            title=LIVESTREAM_TITLE,
            scheduled_at=datetime.datetime.combine(
                today + datetime.timedelta(days=3), datetime.time(20), tz
            ),
            channel=Livestream.Channel.FACEBOOK,
            url="https://www.facebook.com/hoilhpn.ketnoi/live",
            host_name="Chị Nguyễn Thị Lan",
            description="Giới thiệu trà sen, mật ong và bưởi Diễn; đặt hàng ngay "
            "trong buổi phát.",
            featured_products=[products[3], products[5], products[6]],
        )


# --- pages ----------------------------------------------------------------------


def _child(parent, model, **fields):
    existing = model.objects.child_of(parent).filter(slug=fields["slug"]).first()
    if existing is not None:
        return existing
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _paragraph(text: str):
    return ("paragraph", RichText(f"<p>{text}</p>"))


def _seed_pages(place: _Place, products) -> None:
    home = Site.objects.get(is_default_site=True).root_page.specific
    news = _child(home, NewsIndexPage, title="Tin tức", slug="tin-tuc")
    stories = _child(home, StoryIndexPage, title="Câu chuyện", slug="cau-chuyen")
    if not EventIndexPage.objects.exists():
        _child(home, EventIndexPage, title="Sự kiện", slug="su-kien")
    _child(
        news,
        NewsPage,
        title="Khai trương hai điểm tiêu thụ sản phẩm an toàn tại nhà hội viên",
        slug="khai-truong-diem-tieu-thu",
        intro="Hội viên trong phường nay đặt rau, gạo, đặc sản của chị em "
        "sản xuất và nhận hàng ngay tại khu dân cư.",
        body=[
            _paragraph(
                f"Hội LHPN {place.ward(0)[1]} vừa đưa vào hoạt động hai điểm "
                "tiêu thụ đặt tại nhà hội viên. Mỗi tuần một đợt bán: hội viên "
                "đặt hàng trên trang này, nhận hàng tại điểm gần nhà và trả "
                "tiền mặt hoặc chuyển khoản qua mã VietQR."
            ),
            _paragraph(
                "Sản phẩm đều có nguồn gốc rõ ràng, đã được cán bộ Hội kiểm tra "
                "giấy chứng nhận VietGAP, OCOP hoặc an toàn thực phẩm."
            ),
        ],
    )
    producer = products[0].producer
    _child(
        stories,
        ProducerStoryPage,
        title=f"Chị {producer.contact_name.split()[-1]} và những luống rau sạch",
        slug="chi-lan-rau-sach",
        producer=producer,
        producer_name=producer.name,
        products=[p for p in products if p.producer_id == producer.pk],
        place=place.ward(2)[1],
        intro="Từ ba sào ruộng của gia đình đến hợp tác xã mười hai chị em.",
        body=[
            _paragraph(
                f"Năm năm trước, chị {producer.contact_name} rủ các chị em trong "
                "xóm chuyển sang trồng rau theo VietGAP. Nhờ các điểm tiêu thụ "
                "của Hội, rau hái buổi sáng đã đến bữa tối của các gia đình "
                "hội viên, không qua thương lái."
            ),
        ],
    )
