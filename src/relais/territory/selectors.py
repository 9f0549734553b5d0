"""Reads of the territory: public reference data, the same for every user."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from .models import Territory


def territory_list(*, search: str = "", level: str = "", parent=None) -> QuerySet:
    qs = Territory.objects.all()
    if search:
        qs = qs.filter(
            Q(name_fr__icontains=search)
            | Q(name_ar__icontains=search)
            | Q(code__startswith=search)
        )
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.select_related("parent").order_by("path")


def territory_get(*, code: str) -> Territory:
    return get_object_or_404(Territory.objects.select_related("parent"), code=code)


def region_names() -> dict[str, str]:
    """Region code -> name in the current language, for maps and charts."""
    field = "name_ar" if get_language() == "ar" else "name_fr"
    return dict(
        Territory.objects.filter(level=Territory.Level.REGION).values_list(
            "code", field
        )
    )
