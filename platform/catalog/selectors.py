"""Reads of the catalog shared by pages, the portal, the admin and tasks."""

from datetime import date

from django.contrib.auth.models import Group
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from wagtail.images import get_image_model

from tenants import roles

from .models import Category, Certificate, Producer, Product, SearchText

# The size of the photo on a product card (see catalog/_card.html).
CARD_PHOTO = "fill-480x360"


def _photos():
    return get_image_model().objects.prefetch_renditions(CARD_PHOTO)


def today() -> date:
    return timezone.localdate()


def _current(on: date) -> Q:
    return Q(status=Certificate.Status.VERIFIED) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )


def _covering(product_ref: str = "pk", producer_ref: str = "producer_id") -> Q:
    """Certificates that cover a product: its own, or its producer's general ones."""
    return Q(product_id=OuterRef(product_ref)) | Q(
        product__isnull=True, producer_id=OuterRef(producer_ref)
    )


def listed_products(on: date | None = None) -> QuerySet[Product]:
    """Products the public may see: the listing rule, in one query.

    A product is listed when its producer is verified, it is on sale, and a
    verified certificate that has not expired covers it, an exemption
    included (exemptions carry no expiry date).
    """
    on = on or today()
    covered = Certificate.objects.filter(_covering(), _current(on))
    return Product.objects.filter(
        Exists(covered),
        active=True,
        producer__status=Producer.Status.VERIFIED,
    )


def with_ocop_stars(products: QuerySet[Product], on: date | None = None):
    on = on or today()
    stars = (
        Certificate.objects.filter(
            _covering(), _current(on), kind=Certificate.Kind.OCOP
        )
        .order_by()
        .values("kind")
        .annotate(best=Max("ocop_stars"))
        .values("best")
    )
    return products.annotate(ocop_stars=Subquery(stars, output_field=IntegerField()))


def catalog_products(
    *,
    category: str = "",
    stars: int | None = None,
    producer: str = "",
    women_owned: bool = False,
    query: str = "",
) -> QuerySet[Product]:
    """The public listing with its filters, ready for a page of cards."""
    products = with_ocop_stars(listed_products())
    if category:
        products = products.filter(category__slug=category)
    if producer:
        products = products.filter(producer__slug=producer)
    if women_owned:
        products = products.filter(producer__women_owned=True)
    if stars:
        products = products.filter(ocop_stars=stars)
    products = products.select_related("producer", "category").prefetch_related(
        Prefetch("photo", queryset=_photos())
    )
    if query.strip():
        return search(products, query)
    return products.order_by("category__order", "name", "pk")


def search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products matching a query with or without diacritics, typos tolerated.

    Ranked: the query as typed (accents included) first, then matches that
    ignore accents, then near matches by trigram word similarity. Both
    filters can use the trigram index on `search_text`.
    """
    query = " ".join(query.split())[:100]
    plain = SearchText(Value(query))
    products = products.alias(plain_query=plain).filter(
        Q(search_text__contains=F("plain_query"))
        | Q(search_text__trigram_word_similar=plain)
    )
    return products.annotate(
        rank=Case(
            When(name__icontains=query, then=Value(0)),
            When(search_text__contains=F("plain_query"), then=Value(1)),
            default=Value(2),
        ),
    ).order_by("rank", "name", "pk")


def product_page(slug: str) -> Product:
    """A listed product with what its page shows; DoesNotExist otherwise."""
    on = today()
    certificates = Certificate.objects.filter(_current(on)).order_by("kind")
    return (
        with_ocop_stars(listed_products(on))
        .select_related("producer", "category", "photo")
        .prefetch_related(
            Prefetch("certificates", queryset=certificates, to_attr="own_certificates")
        )
        .get(slug=slug)
    )


def producer_certificates(producer: Producer, on: date | None = None):
    on = on or today()
    return producer.certificates.filter(_current(on), product__isnull=True).order_by(
        "kind"
    )


def public_producer(slug: str) -> Producer:
    return Producer.objects.get(slug=slug, status=Producer.Status.VERIFIED)


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def producers_of(user) -> QuerySet[Producer]:
    """The producers whose portal a user may open."""
    if not getattr(user, "is_authenticated", False):
        return Producer.objects.none()
    return Producer.objects.filter(users=user)


def staff_emails() -> list[str]:
    names = [roles.STAFF, roles.PROVINCE_ADMINS]
    users = Group.objects.filter(name__in=names).values_list("user__email", flat=True)
    return sorted({email for email in users if email})


def certificates_to_warn(*, on: date, days: int) -> QuerySet[Certificate]:
    """Verified certificates expiring within `days` that have not been warned.

    A window rather than an exact day, so that a day the task did not run is
    caught up on the next one; the warned_* date makes each warning go once.
    """
    field = "warned_30_on" if days == 30 else "warned_7_on"
    window = Q(expires_on__gte=on, expires_on__lte=on + timezone.timedelta(days=days))
    certificates = Certificate.objects.filter(
        window, status=Certificate.Status.VERIFIED, **{f"{field}__isnull": True}
    )
    if days == 30:
        # Inside seven days the seven-day warning speaks for both.
        certificates = certificates.filter(expires_on__gt=on + timezone.timedelta(7))
    return certificates.select_related("producer", "product")


def expired_products(on: date) -> QuerySet[Product]:
    """On-sale products that lost their listing because a certificate expired."""
    expired = Certificate.objects.filter(
        _covering(), status=Certificate.Status.VERIFIED, expires_on__lt=on
    )
    still_listed = listed_products(on).filter(pk=OuterRef("pk"))
    return (
        Product.objects.filter(
            Exists(expired),
            active=True,
            delisted_at__isnull=True,
            producer__status=Producer.Status.VERIFIED,
        )
        .exclude(Exists(still_listed))
        .select_related("producer")
    )
