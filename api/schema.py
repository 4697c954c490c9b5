"""The national reporting GraphQL schema, read from the reporting store.

Every type and field is described in Vietnamese, then English. Every query
field declares its access check with `@reported`: it needs a caller scope (set
by the view from a session or token) and turns the store's `ReportError`
into a GraphQL error with the same message.
"""

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any

import graphene
from django.conf import settings
from django.utils.translation import gettext as _
from graphql import GraphQLError

from tenants.models import Province

from . import queries
from .queries import ReportError, Scope


def d(vietnamese: str, english: str) -> str:
    return f"{vietnamese} / {english}"


# --- access and loading ----------------------------------------------------


class ProvinceLoader:
    """Loads provinces by id for one request, in one query per batch.

    A list resolver primes it with every id its rows need, so the province of
    each row is then read from memory: no query per row.
    """

    def __init__(self) -> None:
        self._cache: dict[int, Province] = {}

    def prime(self, ids: Any) -> None:
        missing = {pk for pk in ids if pk is not None and pk not in self._cache}
        if missing:
            for province in Province.objects.filter(pk__in=missing):
                self._cache[province.pk] = province

    def add(self, province: Province) -> None:
        self._cache[province.pk] = province

    def load(self, pk: int | None) -> Province | None:
        if pk is None:
            return None
        self.prime([pk])
        return self._cache.get(pk)


def loader(info: Any) -> ProvinceLoader:
    request = info.context
    if not hasattr(request, "province_loader"):
        request.province_loader = ProvinceLoader()
    return request.province_loader


def reported(resolver: Callable) -> Callable:
    """Declare a field readable by any authenticated reporting scope."""

    @wraps(resolver)
    def checked(root: Any, info: Any, **kwargs: Any) -> Any:
        scope: Scope | None = getattr(info.context, "reporting_scope", None)
        if scope is None:
            raise GraphQLError(_("Authentication required."))
        try:
            return resolver(root, info, scope, **kwargs)
        except ReportError as error:
            raise GraphQLError(str(error)) from None

    return checked


def make_filter(scope: Scope, report_filter: Any) -> queries.ReportFilter:
    report_filter = report_filter or {}
    return queries.make_filter(
        scope,
        date_from=report_filter.get("date_from"),
        date_to=report_filter.get("date_to"),
        provinces=report_filter.get("provinces"),
        category=report_filter.get("category"),
    )


def page_bounds(first: int, after: str | None) -> tuple[int, int]:
    most = settings.GRAPHQL_MAX_PAGE
    if not 1 <= first <= most:
        raise ReportError(
            _("first must be between 1 and %(most)s; it was %(first)s.")
            % {"most": most, "first": first}
        )
    offset = 0
    if after:
        try:
            kind, _sep, number = base64.b64decode(after).decode().partition(":")
            offset = int(number) + 1
        except (ValueError, UnicodeDecodeError):
            kind = ""
        if kind != "offset" or offset < 1:
            raise ReportError(_('Invalid cursor "%(after)s".') % {"after": after})
    return first, offset


def cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def connection(rows: list, total: int, offset: int, first: int) -> dict[str, Any]:
    edges = [
        {"cursor": cursor(offset + index), "node": row}
        for index, row in enumerate(rows)
    ]
    return {
        "total_count": total,
        "edges": edges,
        "page_info": {
            "has_next_page": offset + len(rows) < total,
            "end_cursor": edges[-1]["cursor"] if edges else None,
        },
    }


# --- types -----------------------------------------------------------------


class PeriodEnum(graphene.Enum):
    class Meta:
        name = "Period"
        description = d("Độ dài một kỳ của chuỗi số liệu", "Length of a series step")

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    @property
    def description(self) -> str:
        return {
            "DAY": d("Ngày", "Day"),
            "WEEK": d("Tuần (bắt đầu thứ Hai)", "Week (starting on Monday)"),
            "MONTH": d("Tháng", "Month"),
            "YEAR": d("Năm", "Year"),
        }[self.name]


PROVINCE_ORDER = {
    "NAME": (d("Tên tỉnh", "Province name"), lambda row: row.province.name),
    "ORDERS": (d("Số đơn hàng", "Orders"), lambda row: row.sales.orders),
    "TONNES": (d("Số tấn đã bán", "Tonnes sold"), lambda row: row.sales.weight_kg),
    "VALUE": (
        d("Giá trị bán (đồng)", "Value sold (đồng)"),
        lambda r: r.sales.value_vnd,
    ),
    "SAVINGS": (
        d("Tiền hội viên tiết kiệm", "Member savings"),
        lambda row: row.sales.savings_vnd,
    ),
    "COORDINATOR_FEES": (
        d("Phí trả cho người điều phối", "Coordinator fees"),
        lambda row: row.sales.coordinator_fees_vnd,
    ),
    "MEMBERS": (d("Số hội viên", "Members"), lambda row: row.network.members),
    "BRANCHES": (d("Số chi hội", "Branches"), lambda row: row.network.branches),
    "PICKUP_POINTS": (
        d("Số điểm tiêu thụ", "Pickup points"),
        lambda row: row.network.pickup_points,
    ),
    "PRODUCERS": (d("Số nhà sản xuất", "Producers"), lambda row: row.network.producers),
    "WOMEN_OWNED_PRODUCERS": (
        d("Số cơ sở do nữ làm chủ", "Women-owned producers"),
        lambda row: row.network.women_owned_producers,
    ),
    "VERIFIED_PRODUCTS": (
        d("Số sản phẩm an toàn đã xác minh", "Verified products"),
        lambda row: row.network.verified_products,
    ),
    "FAIRS": (d("Số hội chợ", "Fairs"), lambda row: row.network.fairs),
    "LIVESTREAMS": (
        d("Số buổi livestream", "Livestreams"),
        lambda r: r.network.livestreams,
    ),
}


def _order_description(value: Any) -> str:
    # graphene asks with None for the enum's own description.
    if value is None:
        return d("Số liệu để xếp hạng các tỉnh", "Figure to rank provinces by")
    return PROVINCE_ORDER[value.name][0]


ProvinceOrderField = graphene.Enum(
    "ProvinceOrderField",
    [(name, name.lower()) for name in PROVINCE_ORDER],
    description=_order_description,
)


class ReportFilterInput(graphene.InputObjectType):
    class Meta:
        name = "ReportFilter"
        description = d(
            "Bộ lọc: khoảng ngày, các tỉnh, ngành hàng",
            "Filter: date range, provinces, product category",
        )

    date_from = graphene.Date(
        description=d("Từ ngày (tính cả ngày này)", "First day, included")
    )
    date_to = graphene.Date(
        description=d("Đến ngày (tính cả ngày này)", "Last day, included")
    )
    provinces = graphene.List(
        graphene.NonNull(graphene.String),
        description=d(
            "Mã (slug) các tỉnh; bỏ trống là mọi tỉnh được phép xem",
            "Province slugs; empty means every province the caller may read",
        ),
    )
    category = graphene.String(description=d("Ngành hàng", "Product category"))


class ProvinceType(graphene.ObjectType):
    class Meta:
        name = "Province"
        description = d("Một Hội LHPN tỉnh/thành phố", "A provincial Women's Union")

    slug = graphene.String(
        required=True, description=d("Mã tên miền con", "Subdomain slug")
    )
    name = graphene.String(required=True, description=d("Tên Hội", "Union name"))
    code = graphene.Int(
        description=d("Mã đơn vị hành chính cấp tỉnh", "Provincial unit code")
    )
    unit_name = graphene.String(
        required=True, description=d("Tên tỉnh/thành phố", "Province name")
    )

    @staticmethod
    def resolve_code(province: Province, info: Any) -> int | None:
        return province.province_code


class SalesFiguresType(graphene.ObjectType):
    class Meta:
        name = "SalesFigures"
        description = d(
            "Số liệu bán hàng qua mạng lưới Hội", "Sales through the union's network"
        )

    orders = graphene.Int(
        required=True,
        description=d("Số đơn hàng (không tính đơn đã hủy)", "Orders, not cancelled"),
    )
    cancelled_orders = graphene.Int(
        required=True, description=d("Số đơn hàng đã hủy", "Cancelled orders")
    )
    quantity = graphene.Decimal(
        required=True,
        description=d("Số lượng theo đơn vị bán", "Quantity in selling units"),
    )
    weight_kg = graphene.Decimal(
        required=True, description=d("Khối lượng (kg)", "Weight (kg)")
    )
    tonnes = graphene.Decimal(
        required=True, description=d("Khối lượng (tấn)", "Weight (tonnes)")
    )
    value_vnd = graphene.BigInt(
        required=True,
        description=d(
            "Giá trị theo giá hội viên (đồng)", "Value at member prices (đồng)"
        ),
    )
    market_value_vnd = graphene.BigInt(
        required=True,
        description=d("Giá trị theo giá thị trường (đồng)", "Value at market prices"),
    )
    savings_vnd = graphene.BigInt(
        required=True,
        description=d(
            "Hội viên tiết kiệm so với giá thị trường (đồng)",
            "Members' savings against market prices (đồng)",
        ),
    )
    coordinator_fees_vnd = graphene.BigInt(
        required=True,
        description=d("Phí đã trả người điều phối (đồng)", "Coordinator fees paid"),
    )


def current(vietnamese: str, english: str) -> str:
    """A network figure's description: a count now, whatever the filter."""
    return d(
        f"{vietnamese}: số hiện có tại lần cập nhật gần nhất, không theo khoảng "
        "ngày hay ngành hàng của bộ lọc",
        f"{english}: the count at the last refresh, not filtered by the date "
        "range or category",
    )


class NetworkFiguresType(graphene.ObjectType):
    class Meta:
        name = "NetworkFigures"
        description = d(
            "Mạng lưới, sản phẩm và sự kiện hiện có tại lần cập nhật gần nhất. "
            "Đây là số hiện tại: bộ lọc ngày và ngành hàng không áp dụng, nên "
            "hỏi một năm trước vẫn nhận số của hôm nay",
            "Network, catalog and events as they are at the last refresh. "
            "These are current counts: the date and category filters do not "
            "apply, so asking about last year still gives today's counts",
        )

    members = graphene.Int(
        required=True, description=current("Hội viên đang hoạt động", "Active members")
    )
    branches = graphene.Int(
        required=True, description=current("Chi hội đang hoạt động", "Active branches")
    )
    pickup_points = graphene.Int(
        required=True,
        description=current("Điểm tiêu thụ đang hoạt động", "Active pickup points"),
    )
    support_groups = graphene.Int(
        required=True,
        description=current("Nhóm hỗ trợ tiêu thụ", "Active sales support groups"),
    )
    producers = graphene.Int(
        required=True,
        description=current("Nhà sản xuất đã xác minh", "Verified producers"),
    )
    women_owned_producers = graphene.Int(
        required=True,
        description=current("Cơ sở do nữ làm chủ", "Women-owned verified producers"),
    )
    verified_products = graphene.Int(
        required=True,
        description=current("Sản phẩm an toàn đang bán", "Listed verified products"),
    )
    ocop_3_products = graphene.Int(
        required=True,
        description=current("Sản phẩm OCOP 3 sao", "3-star OCOP products"),
    )
    ocop_4_products = graphene.Int(
        required=True,
        description=current("Sản phẩm OCOP 4 sao", "4-star OCOP products"),
    )
    ocop_5_products = graphene.Int(
        required=True,
        description=current("Sản phẩm OCOP 5 sao", "5-star OCOP products"),
    )
    fairs = graphene.Int(
        required=True,
        description=current(
            "Hội chợ, phiên chợ chưa hủy (mọi thời điểm)",
            "Fairs and market sessions not cancelled (any date)",
        ),
    )
    livestreams = graphene.Int(
        required=True,
        description=current(
            "Buổi livestream chưa hủy (mọi thời điểm)",
            "Livestreams not cancelled (any date)",
        ),
    )
    refreshed_at = graphene.DateTime(
        description=d(
            "Lần cập nhật cũ nhất trong các tỉnh (trống nếu có tỉnh chưa cập nhật)",
            "Oldest refresh among the provinces (empty if one was never refreshed)",
        )
    )


class SummaryType(graphene.ObjectType):
    class Meta:
        name = "Summary"
        description = d("Tổng số liệu", "Totals")

    provinces = graphene.Int(
        required=True, description=d("Số tỉnh được tính", "Provinces counted")
    )
    sales = graphene.Field(
        SalesFiguresType, required=True, description=d("Bán hàng", "Sales")
    )
    network = graphene.Field(
        NetworkFiguresType,
        required=True,
        description=d(
            "Mạng lưới: số hiện có, không theo bộ lọc ngày",
            "Network: current counts, not filtered by dates",
        ),
    )


class PageInfoType(graphene.ObjectType):
    class Meta:
        name = "PageInfo"
        description = d("Thông tin phân trang", "Pagination")

    has_next_page = graphene.Boolean(
        required=True, description=d("Còn trang sau", "A next page exists")
    )
    end_cursor = graphene.String(
        description=d(
            "Con trỏ của dòng cuối; truyền vào `after` để lấy trang sau",
            "Cursor of the last row; pass it as `after` for the next page",
        )
    )


def _province_of(row: Any, info: Any) -> Province | None:
    return loader(info).load(row.province_id)


class ProvinceFiguresType(graphene.ObjectType):
    class Meta:
        name = "ProvinceFigures"
        description = d("Số liệu của một tỉnh", "One province's figures")

    province = graphene.Field(
        ProvinceType, required=True, description=d("Tỉnh", "Province")
    )
    sales = graphene.Field(
        SalesFiguresType, required=True, description=d("Bán hàng", "Sales")
    )
    network = graphene.Field(
        NetworkFiguresType,
        required=True,
        description=d(
            "Mạng lưới: số hiện có, không theo bộ lọc ngày",
            "Network: current counts, not filtered by dates",
        ),
    )


def _connection_types(node: type, name: str, vi: str, en: str) -> type:
    edge = type(
        f"{name}Edge",
        (graphene.ObjectType,),
        {
            "Meta": type(
                "Meta", (), {"description": d(f"Một dòng: {vi}", f"A row: {en}")}
            ),
            "cursor": graphene.String(
                required=True, description=d("Con trỏ của dòng", "Row cursor")
            ),
            "node": graphene.Field(node, required=True, description=d("Dòng", "Row")),
        },
    )
    return type(
        f"{name}Connection",
        (graphene.ObjectType,),
        {
            "Meta": type(
                "Meta",
                (),
                {"description": d(f"Danh sách phân trang: {vi}", f"Page: {en}")},
            ),
            "total_count": graphene.Int(
                required=True, description=d("Tổng số dòng", "Total rows")
            ),
            "page_info": graphene.Field(
                PageInfoType, required=True, description=d("Phân trang", "Pagination")
            ),
            "edges": graphene.List(
                graphene.NonNull(edge), required=True, description=d("Các dòng", "Rows")
            ),
        },
    )


ProvinceFiguresConnection = _connection_types(
    ProvinceFiguresType, "ProvinceFigures", "số liệu theo tỉnh", "figures by province"
)


class SeriesPointType(graphene.ObjectType):
    class Meta:
        name = "SeriesPoint"
        description = d("Một kỳ của chuỗi số liệu", "One step of a series")

    period = graphene.Date(
        required=True, description=d("Ngày đầu của kỳ", "First day of the period")
    )
    province = graphene.Field(
        ProvinceType,
        description=d(
            "Tỉnh (khi nhóm theo tỉnh)", "Province, when grouped by province"
        ),
        resolver=_province_of,
    )
    sales = graphene.Field(
        SalesFiguresType, required=True, description=d("Bán hàng", "Sales")
    )


def _column(name: str) -> Callable[[Any, Any], list]:
    return lambda row, info: [getattr(figures, name) for figures in row.figures]


def _column_of(kind: Any, name: str, vietnamese: str, english: str) -> graphene.List:
    return graphene.List(
        graphene.NonNull(kind),
        required=True,
        description=d(
            f"{vietnamese}, mỗi kỳ một giá trị, theo thứ tự của `periods`",
            f"{english}, one value per period, in the order of `periods`",
        ),
        resolver=_column(name),
    )


class ProvinceSeriesType(graphene.ObjectType):
    class Meta:
        name = "ProvinceSeries"
        description = d(
            "Chuỗi số liệu của một tỉnh: mỗi số liệu là một danh sách, mỗi kỳ "
            "một giá trị (0 nếu kỳ đó tỉnh không bán được gì)",
            "One province's series: each figure is a list with one value per "
            "period (0 where the province sold nothing that period)",
        )

    province = graphene.Field(
        ProvinceType, required=True, description=d("Tỉnh", "Province")
    )
    orders = _column_of(
        graphene.Int, "orders", "Số đơn hàng không hủy", "Orders, not cancelled"
    )
    cancelled_orders = _column_of(
        graphene.Int, "cancelled_orders", "Số đơn hàng đã hủy", "Cancelled orders"
    )
    quantity = _column_of(
        graphene.Decimal, "quantity", "Số lượng theo đơn vị bán", "Quantity sold"
    )
    weight_kg = _column_of(
        graphene.Decimal, "weight_kg", "Khối lượng (kg)", "Weight (kg)"
    )
    tonnes = _column_of(graphene.Decimal, "tonnes", "Khối lượng (tấn)", "Tonnes")
    value_vnd = _column_of(
        graphene.BigInt,
        "value_vnd",
        "Giá trị theo giá hội viên (đồng)",
        "Value at member prices (đồng)",
    )
    market_value_vnd = _column_of(
        graphene.BigInt,
        "market_value_vnd",
        "Giá trị theo giá thị trường (đồng)",
        "Value at market prices (đồng)",
    )
    savings_vnd = _column_of(
        graphene.BigInt,
        "savings_vnd",
        "Hội viên tiết kiệm so với giá thị trường (đồng)",
        "Members' savings against market prices (đồng)",
    )
    coordinator_fees_vnd = _column_of(
        graphene.BigInt,
        "coordinator_fees_vnd",
        "Phí đã trả người điều phối (đồng)",
        "Coordinator fees paid (đồng)",
    )


class SeriesTableType(graphene.ObjectType):
    class Meta:
        name = "SeriesByProvince"
        description = d(
            "Chuỗi số liệu theo tỉnh dạng cột: danh sách kỳ, rồi mỗi tỉnh một "
            "danh sách giá trị song song với danh sách kỳ. Cùng số liệu với "
            "`series(groupByProvince: true)` nhưng gọn hơn nhiều khi có nhiều tỉnh",
            "A series by province as columns: the periods, then for each "
            "province lists of values parallel to the periods. The figures of "
            "`series(groupByProvince: true)`, far more compact across many provinces",
        )

    periods = graphene.List(
        graphene.NonNull(graphene.Date),
        required=True,
        description=d(
            "Ngày đầu của mỗi kỳ có bán hàng, tăng dần",
            "First day of each period with any sales, ascending",
        ),
    )
    provinces = graphene.List(
        graphene.NonNull(ProvinceSeriesType),
        required=True,
        description=d(
            "Mỗi tỉnh của bộ lọc một dòng, theo tên tỉnh",
            "One row per province of the filter, by province name",
        ),
    )


class CategoryFiguresType(graphene.ObjectType):
    class Meta:
        name = "CategoryFigures"
        description = d("Số liệu của một ngành hàng", "One category's figures")

    category = graphene.String(
        required=True,
        description=d("Ngành hàng", "Category"),
        resolver=lambda r, i: r.key,
    )
    sales = graphene.Field(
        SalesFiguresType,
        required=True,
        description=d(
            "Bán hàng; số đơn là các đơn có hàng thuộc ngành này",
            "Sales; orders are those holding a product of this category",
        ),
    )


class OcopFiguresType(graphene.ObjectType):
    class Meta:
        name = "OcopFigures"
        description = d("Số liệu theo hạng sao OCOP", "Figures by OCOP rating")

    stars = graphene.Int(
        required=True,
        description=d("Số sao OCOP (0: chưa xếp hạng)", "OCOP stars (0: unrated)"),
        resolver=lambda row, info: row.key,
    )
    verified_products = graphene.Int(
        required=True,
        description=current(
            "Sản phẩm an toàn có hạng này", "Listed verified products so rated"
        ),
    )
    sales = graphene.Field(
        SalesFiguresType,
        required=True,
        description=d(
            "Bán hàng; số đơn là các đơn có sản phẩm hạng này",
            "Sales; orders are those holding a product of this rating",
        ),
    )


class ProductFiguresType(graphene.ObjectType):
    class Meta:
        name = "ProductFigures"
        description = d("Số liệu của một sản phẩm", "One product's figures")

    province = graphene.Field(
        ProvinceType,
        required=True,
        description=d("Tỉnh", "Province"),
        resolver=_province_of,
    )
    name = graphene.String(required=True, description=d("Tên sản phẩm", "Product name"))
    producer_name = graphene.String(
        required=True, description=d("Nhà sản xuất", "Producer")
    )
    women_owned = graphene.Boolean(
        required=True, description=d("Cơ sở do nữ làm chủ", "Women-owned producer")
    )
    sales = graphene.Field(
        SalesFiguresType, required=True, description=d("Bán hàng", "Sales")
    )


class ProducerFiguresType(graphene.ObjectType):
    class Meta:
        name = "ProducerFigures"
        description = d("Số liệu của một nhà sản xuất", "One producer's figures")

    province = graphene.Field(
        ProvinceType,
        required=True,
        description=d("Tỉnh", "Province"),
        resolver=_province_of,
    )
    name = graphene.String(
        required=True, description=d("Tên nhà sản xuất", "Producer name")
    )
    women_owned = graphene.Boolean(
        required=True, description=d("Cơ sở do nữ làm chủ", "Women-owned producer")
    )
    sales = graphene.Field(
        SalesFiguresType, required=True, description=d("Bán hàng", "Sales")
    )


ProductFiguresConnection = _connection_types(
    ProductFiguresType, "ProductFigures", "sản phẩm bán chạy", "top products"
)
ProducerFiguresConnection = _connection_types(
    ProducerFiguresType, "ProducerFigures", "nhà sản xuất bán chạy", "top producers"
)


# --- queries ---------------------------------------------------------------

FILTER_ARG = graphene.Argument(
    ReportFilterInput, name="filter", description=d("Bộ lọc", "Filter")
)


def _first_arg() -> graphene.Int:
    return graphene.Int(
        default_value=20,
        description=d("Số dòng mỗi trang (1–100)", "Rows per page (1–100)"),
    )


def _after_arg() -> graphene.String:
    return graphene.String(
        description=d("Lấy các dòng sau con trỏ này", "Rows after this cursor")
    )


class Query(graphene.ObjectType):
    class Meta:
        description = d(
            "Báo cáo toàn quốc của mô hình kết nối tiêu thụ sản phẩm",
            "National reports of the product-connection model",
        )

    provinces = graphene.List(
        graphene.NonNull(ProvinceType),
        required=True,
        description=d("Các tỉnh được phép xem", "Provinces the caller may read"),
    )
    summary = graphene.Field(
        SummaryType,
        required=True,
        filter=FILTER_ARG,
        description=d("Tổng số liệu", "Totals"),
    )
    by_province = graphene.Field(
        ProvinceFiguresConnection,
        required=True,
        filter=FILTER_ARG,
        order_by=graphene.Argument(
            ProvinceOrderField,
            default_value="value",
            description=d("Xếp theo số liệu", "Rank by figure"),
        ),
        descending=graphene.Boolean(
            default_value=True, description=d("Lớn trước", "Largest first")
        ),
        first=_first_arg(),
        after=_after_arg(),
        description=d("Số liệu theo tỉnh, xếp hạng", "Figures by province, ranked"),
    )
    series = graphene.List(
        graphene.NonNull(SeriesPointType),
        required=True,
        filter=FILTER_ARG,
        period=graphene.Argument(
            PeriodEnum, default_value="month", description=d("Kỳ", "Period")
        ),
        group_by_province=graphene.Boolean(
            default_value=False, description=d("Tách theo tỉnh", "Split by province")
        ),
        description=d(
            "Chuỗi số liệu theo thời gian, mỗi kỳ (và mỗi tỉnh) một dòng; tách "
            "theo nhiều tỉnh thì `seriesByProvince` cho cùng số liệu gọn hơn",
            "Figures over time, one row per period (and province); split by "
            "many provinces, `seriesByProvince` gives the same figures compactly",
        ),
    )
    series_by_province = graphene.Field(
        SeriesTableType,
        required=True,
        filter=FILTER_ARG,
        period=graphene.Argument(
            PeriodEnum, default_value="month", description=d("Kỳ", "Period")
        ),
        description=d(
            "Chuỗi số liệu theo thời gian của từng tỉnh, dạng cột",
            "Each province's figures over time, as columns",
        ),
    )
    by_category = graphene.List(
        graphene.NonNull(CategoryFiguresType),
        required=True,
        filter=FILTER_ARG,
        description=d("Số liệu theo ngành hàng", "Figures by product category"),
    )
    by_ocop_stars = graphene.List(
        graphene.NonNull(OcopFiguresType),
        required=True,
        filter=FILTER_ARG,
        description=d("Số liệu theo hạng sao OCOP", "Figures by OCOP rating"),
    )
    top_products = graphene.Field(
        ProductFiguresConnection,
        required=True,
        filter=FILTER_ARG,
        first=_first_arg(),
        after=_after_arg(),
        description=d(
            "Sản phẩm bán chạy theo giá trị", "Products by value sold, highest first"
        ),
    )
    top_producers = graphene.Field(
        ProducerFiguresConnection,
        required=True,
        filter=FILTER_ARG,
        first=_first_arg(),
        after=_after_arg(),
        description=d(
            "Nhà sản xuất bán chạy theo giá trị",
            "Producers by value sold, highest first",
        ),
    )

    @staticmethod
    @reported
    def resolve_provinces(root: Any, info: Any, scope: Scope) -> list[Province]:
        return list(queries.visible_provinces(scope))

    @staticmethod
    @reported
    def resolve_summary(root: Any, info: Any, scope: Scope, filter=None):
        return queries.summary(make_filter(scope, filter))

    @staticmethod
    @reported
    def resolve_by_province(
        root,
        info,
        scope,
        filter=None,
        order_by="value",
        descending=True,
        first=20,
        after=None,
    ):
        first, offset = page_bounds(first, after)
        rows = queries.by_province(make_filter(scope, filter))
        key = PROVINCE_ORDER[getattr(order_by, "name", str(order_by).upper())][1]
        # Ties keep the provinces' names in order, whichever direction.
        rows.sort(key=lambda row: row.province.name)
        rows.sort(key=key, reverse=bool(descending))
        return connection(rows[offset : offset + first], len(rows), offset, first)

    @staticmethod
    @reported
    def resolve_series(
        root, info, scope, filter=None, period="month", group_by_province=False
    ):
        report = make_filter(scope, filter)
        period_value = queries.Period(getattr(period, "value", period))
        points = queries.series(report, period_value, by_province=group_by_province)
        loader(info).prime(point.province_id for point in points)
        return points

    @staticmethod
    @reported
    def resolve_series_by_province(root, info, scope, filter=None, period="month"):
        report = make_filter(scope, filter)
        period_value = queries.Period(getattr(period, "value", period))
        return queries.series_table(report, period_value)

    @staticmethod
    @reported
    def resolve_by_category(root, info, scope, filter=None):
        return queries.by_category(make_filter(scope, filter))

    @staticmethod
    @reported
    def resolve_by_ocop_stars(root, info, scope, filter=None):
        return queries.by_ocop_stars(make_filter(scope, filter))

    @staticmethod
    @reported
    def resolve_top_products(root, info, scope, filter=None, first=20, after=None):
        first, offset = page_bounds(first, after)
        report = make_filter(scope, filter)
        rows, total = queries.top_products(report, limit=first, offset=offset)
        loader(info).prime(row.province_id for row in rows)
        return connection(rows, total, offset, first)

    @staticmethod
    @reported
    def resolve_top_producers(root, info, scope, filter=None, first=20, after=None):
        first, offset = page_bounds(first, after)
        report = make_filter(scope, filter)
        rows, total = queries.top_producers(report, limit=first, offset=offset)
        loader(info).prime(row.province_id for row in rows)
        return connection(rows, total, offset, first)


schema = graphene.Schema(query=Query, auto_camelcase=True)
