"""Reads of the network shared by the portal and other apps."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from .models import Member, PickupPoint, SupportGroup


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
