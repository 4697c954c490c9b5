"""The few helpers through which views reach a province's data.

Every view that shows or changes a record asks here. What is missing and what
belongs to someone else get the same answer: 404, so that probing ids tells an
outsider nothing. A province's data is already confined to its schema by the
tenant middleware; these helpers decide among the users of one province.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import Http404

from tenants import roles

M = TypeVar("M", bound=Model)


def in_groups(user: Any, names: Iterable[str]) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._group_names = cached
    return bool(cached.intersection(names))


def is_province_admin(user: Any) -> bool:
    return in_groups(user, [roles.PROVINCE_ADMINS])


def is_staff(user: Any) -> bool:
    """Union staff or province administrators."""
    return in_groups(user, [roles.PROVINCE_ADMINS, roles.STAFF])


def is_coordinator(user: Any) -> bool:
    return in_groups(user, [roles.COORDINATORS])


def is_producer(user: Any) -> bool:
    return in_groups(user, [roles.PRODUCERS])


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """One record of a queryset already narrowed to what the user may see."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require(condition: bool) -> None:
    """Answer 404, not 403, when a user may not reach something."""
    if not condition:
        raise Http404
