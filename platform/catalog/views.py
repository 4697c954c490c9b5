"""Public catalog pages of a province's site."""

import io
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tenants.units import province_name

from . import selectors, services
from .forms import ApplicationForm, add_service_errors
from .models import Certificate, Producer, Product

PAGE_SIZE = 24


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class _CountedPaginator(Paginator):
    def __init__(self, object_list, per_page: int, *, count: Callable[[], int]):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def _page_number(raw: str | None) -> int:
    try:
        return max(int(raw or 1), 1)
    except ValueError:
        return 1


def products_page(products, filters: dict, number: str | None) -> Page:
    """A page of products, with the count got as cheaply as the listing allows.

    A listing keeps its count per catalog version (`listing_count`); a
    search counts its matches with a window over the same scan that finds
    the page, instead of scanning a second time.
    """
    if not filters.get("query", "").strip():
        paginator = _CountedPaginator(
            products,
            PAGE_SIZE,
            count=lambda: selectors.listing_count(products, **filters),
        )
        page = paginator.get_page(number)
        page.object_list = list(page.object_list)
        return page
    wanted = _page_number(number)
    start = (wanted - 1) * PAGE_SIZE
    counted = products.annotate(matches=Window(Count("pk")))
    rows = list(counted[start : start + PAGE_SIZE])
    if rows:
        total = rows[0].matches
    else:
        total = 0 if wanted == 1 else products.count()
    page = _CountedPaginator(products, PAGE_SIZE, count=lambda: total).get_page(wanted)
    # Past the last page, the paginator answers with the last one.
    page.object_list = rows if page.number == wanted else list(page.object_list)
    return page


def catalog_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "category": request.GET.get("danh-muc", "")[:120],
        "stars": _int(request.GET.get("sao")),
        "producer": request.GET.get("nha-san-xuat", "")[:220],
        "women_owned": request.GET.get("nu") == "1",
        "query": request.GET.get("q", "")[:100],
    }
    products = selectors.catalog_products(**filters)
    page = products_page(products, filters, request.GET.get("trang"))
    respelled = selectors.respelled_words(page.object_list)
    page.object_list = selectors.attach_ocop_stars(page.object_list)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "catalog/list.html",
        {
            "page": page,
            "filters": filters,
            "respelled": respelled,
            "categories": selectors.categories(),
            "star_choices": (3, 4, 5),
            "query_string": query.urlencode(),
        },
    )


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration so the SVG can sit inside the page.
    return svg[svg.index("<svg") :]


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = selectors.product_page(slug)
    except Product.DoesNotExist:
        raise Http404 from None
    certificates = list(product.own_certificates) + list(
        selectors.producer_certificates(product.producer)
    )
    ratings = [c.ocop_stars for c in certificates if c.ocop_stars]
    product.ocop_stars = max(ratings, default=None)
    qr = mark_safe(qr_svg(product.traceability_url)) if product.traceability_url else ""
    return render(
        request,
        "catalog/product.html",
        {
            "product": product,
            "certificates": certificates,
            "qr": qr,
            "origin_province": province_name(product.producer.province_code),
        },
    )


def producer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        producer = selectors.public_producer(slug)
    except Producer.DoesNotExist:
        raise Http404 from None
    products = selectors.catalog_products(producer=producer.slug)
    page = products_page(
        products, {"producer": producer.slug}, request.GET.get("trang")
    )
    page.object_list = selectors.attach_ocop_stars(page.object_list)
    return render(
        request,
        "catalog/producer.html",
        {
            "producer": producer,
            "page": page,
            "certificates": selectors.producer_certificates(producer),
            "province": province_name(producer.province_code),
            "query_string": "",
        },
    )


def apply(request: HttpRequest) -> HttpResponse:
    """A producer applies and gets a portal account at once; staff verify later."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.apply_producer(**data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. The union's staff will check your application."),
            )
            return redirect("catalog:portal_login")
    return render(
        request,
        "catalog/apply.html",
        {"form": form, "exempt_kind": Certificate.Kind.EXEMPT},
    )
