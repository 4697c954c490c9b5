"""Reads of the catalog shared by pages, the portal, the admin and tasks."""

import hashlib
import re
from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.images import get_image_model

from network.models import AuditEntry
from tenants import roles

from .models import (
    Category,
    Certificate,
    Producer,
    Product,
    SearchText,
    SearchWords,
)

# The size of the photo on a product card (see catalog/_card.html).
CARD_PHOTO = "fill-480x360"
# Letters and digits only: nothing of the full-text query syntax.
WORD = re.compile(r"[^\W_]+")
# A day at most: the key changes with the day anyway.
LISTING_COUNT_SECONDS = 24 * 3600


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


def _covered(certificates: QuerySet[Certificate]) -> Q:
    """Products covered by one of these certificates.

    Written as two IN lists rather than one correlated EXISTS: PostgreSQL
    hashes each list once, instead of probing certificates for every product,
    which keeps a 20,000-product listing in a few milliseconds.
    """
    general = certificates.filter(product__isnull=True).values("producer_id")
    own = certificates.filter(product__isnull=False).values("product_id")
    return Q(producer_id__in=general) | Q(pk__in=own)


def listed_products(on: date | None = None) -> QuerySet[Product]:
    """Products the public may see: the listing rule, in one query.

    A product is listed when its producer is verified, it is on sale, and a
    verified certificate that has not expired covers it, an exemption
    included (exemptions carry no expiry date).
    """
    on = on or today()
    current = Certificate.objects.filter(_current(on))
    return Product.objects.filter(
        _covered(current),
        active=True,
        producer__status=Producer.Status.VERIFIED,
    )


def attach_ocop_stars(products: list[Product], on: date | None = None) -> list[Product]:
    """Set `ocop_stars`, the best current rating, on a page of products (one query)."""
    on = on or today()
    products = list(products)
    ids = [product.pk for product in products]
    producer_ids = {product.producer_id for product in products}
    ratings = Certificate.objects.filter(
        Q(product_id__in=ids) | Q(product__isnull=True, producer_id__in=producer_ids),
        _current(on),
        kind=Certificate.Kind.OCOP,
    ).values_list("producer_id", "product_id", "ocop_stars")
    best_general: dict[int, int] = {}
    best_own: dict[int, int] = {}
    for producer_id, product_id, stars in ratings:
        target, key = (
            (best_own, product_id) if product_id else (best_general, producer_id)
        )
        target[key] = max(target.get(key, 0), stars or 0)
    for product in products:
        best = max(
            best_own.get(product.pk, 0), best_general.get(product.producer_id, 0)
        )
        product.ocop_stars = best or None
    return products


def catalog_products(
    *,
    category: str = "",
    stars: int | None = None,
    producer: str = "",
    women_owned: bool = False,
    query: str = "",
) -> QuerySet[Product]:
    """The public listing with its filters, ready for a page of cards.

    Call `attach_ocop_stars` on the page's products to show their ratings.
    """
    products = listed_products()
    if category:
        products = products.filter(category__slug=category)
    if producer:
        products = products.filter(producer__slug=producer)
    if women_owned:
        products = products.filter(producer__women_owned=True)
    if stars:
        rated = Certificate.objects.filter(
            _current(today()), kind=Certificate.Kind.OCOP, ocop_stars=stars
        )
        products = products.filter(_covered(rated))
    products = products.select_related("producer", "category").prefetch_related(
        Prefetch("photo", queryset=_photos())
    )
    if query.strip():
        return search(products, query)
    return products.order_by("name", "pk")


def listing_count(products: QuerySet[Product], **filters: Any) -> int:
    """How many products a listing without a search query shows.

    Counting the listing means checking every product against the listing
    rule, the costliest part of a catalog page. The answer only changes with
    the catalog, whose services bump the province's page version on commit,
    and with the day, when certificates lapse; so it is kept per version,
    day and filters. Searches are counted afresh: there are too many.
    """
    from cms.cache import current_version

    parts = [str(current_version()), today().isoformat()]
    parts += [f"{name}={filters[name]}" for name in sorted(filters)]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    key = f"catalog:count:{digest}"
    count = cache.get(key)
    if count is None:
        count = products.count()
        cache.set(key, count, LISTING_COUNT_SECONDS)
    return count


# A query's words as a full-text query, each word the catalog does not know
# replaced by its closest known spelling: trigram similarity over the words
# table (migration 0005), a word of the same length first, as a mistyped
# letter keeps it (`lonh` is `long` rather than `lon`). The last word may be
# one still being typed, so it counts as known when a word begins with it,
# and matches as a prefix. Words of digits and words with no near spelling
# stay as typed. Parameters: the last word's position, twice, then the typed
# words (an array).
RESPELLED_TERMS = """(
SELECT string_agg(
    coalesce(
        CASE WHEN typed.word ~ '^[0-9]+$' OR EXISTS (
            SELECT 1 FROM catalog_searchword known
            WHERE known.word = typed.word
               OR (typed.n = %s AND known.word > typed.word
                   AND known.word < typed.word || chr(1114111))
        ) THEN typed.word END,
        (SELECT near.word FROM catalog_searchword near
         WHERE near.word %% typed.word
         ORDER BY length(near.word) = length(typed.word) DESC,
                  near.word <-> typed.word, near.word
         LIMIT 1),
        typed.word
    ) || CASE WHEN typed.n = %s THEN ':*' ELSE '' END,
    ' & ' ORDER BY typed.n)
FROM (
    SELECT public.ketnoi_unaccent(raw) COLLATE "C" AS word, n
    FROM unnest(%s::text[]) WITH ORDINALITY AS typed_words (raw, n)
) AS typed
)"""


def search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products matching every word of a query, accents and small typos aside.

    Each word must be a word of the product's name or origin, the last one
    perhaps only its beginning (it may still be being typed), compared
    without accents (`rau sach` finds `Rau sạch`, `đ` matches `d`); a word
    the catalog does not know is first respelled as the closest one it does
    (`nhan lonh` finds `Nhãn lồng`), all in the one query that reads the
    page, through the full-text index. Each product carries `spelled`, the
    words searched for, and `typed`, the query's own words, both as
    full-text terms: they differ when a word was respelled. Ranked: the
    query as typed (accents included) first, then the rest by name.
    """
    query = " ".join(query.split())[:100]
    words = WORD.findall(query)
    if not words:
        return products.order_by("name", "pk")
    spelled = RawSQL(RESPELLED_TERMS, (len(words), len(words), words))
    typed = SearchText(Value(" & ".join([*words[:-1], f"{words[-1]}:*"])))
    return (
        products.alias(words=SearchWords("search_text"))
        .filter(words=SearchQuery(spelled, search_type="raw", config="simple"))
        .annotate(
            spelled=spelled,
            typed=typed,
            rank=Case(When(name__icontains=query, then=Value(0)), default=Value(1)),
        )
        .order_by("rank", "name", "pk")
    )


def spelled_words(terms: str) -> str:
    """The words of full-text terms built by `search`, for showing."""
    return " ".join(term.removesuffix(":*") for term in terms.split(" & "))


def product_page(slug: str) -> Product:
    """A listed product with what its page shows; DoesNotExist otherwise."""
    on = today()
    certificates = Certificate.objects.filter(_current(on)).order_by("kind")
    return (
        listed_products(on)
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


def featured_products(*, limit: int = 8) -> list[Product]:
    """The newest listed products, for a province's home page."""
    products = (
        listed_products()
        .select_related("producer", "photo")
        .order_by("-created_at", "-pk")[:limit]
    )
    return attach_ocop_stars(list(products))


def impact_figures() -> dict[str, int]:
    return {
        "producers_supported": Producer.objects.filter(
            status=Producer.Status.VERIFIED
        ).count()
    }


def producer_history(producer: Producer, limit: int = 15) -> list[AuditEntry]:
    """The latest audit rows about a producer, its products and certificates.

    One query, through the trail's (record kind, id) index.
    """
    kinds = ContentType.objects.get_for_models(Producer, Product, Certificate)

    def ids(records: QuerySet) -> QuerySet:
        return records.values(text=Cast("pk", output_field=CharField()))

    about = (
        Q(content_type=kinds[Producer], object_id=str(producer.pk))
        | Q(content_type=kinds[Product], object_id__in=ids(producer.products.all()))
        | Q(
            content_type=kinds[Certificate],
            object_id__in=ids(producer.certificates.all()),
        )
    )
    return list(AuditEntry.objects.filter(about).order_by("-at", "-pk")[:limit])


def respelled_words(products: list[Product]) -> str:
    """The words searched for when `search` respelled a misspelt one, else ''."""
    first = products[0] if products else None
    if first is None or getattr(first, "spelled", None) == getattr(
        first, "typed", None
    ):
        return ""
    return spelled_words(first.spelled)
