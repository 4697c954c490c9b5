"""Reads of the network shared by the portal and other apps."""

from itertools import groupby
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from .models import Member, PickupPoint, SupportGroup
from .units import ward_name


def points_of_coordinator(user: Any) -> QuerySet[PickupPoint]:
    return (
        PickupPoint.objects.filter(coordinators=user, active=True)
        .select_related("host")
        .order_by("name")
    )


def groups_of_coordinator(user: Any) -> QuerySet[SupportGroup]:
    return (
        SupportGroup.objects.filter(coordinators=user, active=True)
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.filter(active=True).only("full_name", "phone"),
            )
        )
        .order_by("name")
    )


def pickup_points_by_commune() -> list[tuple[str, list[PickupPoint]]]:
    """Active pickup points grouped under their commune's official name."""
    points = PickupPoint.objects.filter(active=True).order_by("ward_code", "name")
    return [
        (ward_name(code), list(group))
        for code, group in groupby(points, key=lambda point: point.ward_code)
    ]


def impact_figures() -> dict[str, int]:
    return {
        "members_served": Member.objects.filter(active=True).count(),
        "pickup_points": PickupPoint.objects.filter(active=True).count(),
    }
