"""Reads of the territory: public reference data, the same for every user
(see TerritoryPolicy)."""

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from relais.core.reconcile import Reference
from relais.core.scoping import get_or_404

from .models import Territory
from .policies import TerritoryPolicy


def territory_list(
    *, actor, search: str = "", level: str = "", parent=None
) -> QuerySet:
    qs = Territory.objects.filter(TerritoryPolicy.readable(actor))
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


def territory_get(*, actor, code: str) -> Territory:
    return get_or_404(territory_list(actor=actor), code=code)


def region_names() -> dict[str, str]:
    """Region code -> name in the current language, for maps and charts."""
    field = "name_ar" if get_language() == "ar" else "name_fr"
    return dict(
        Territory.objects.filter(level=Territory.Level.REGION).values_list(
            "code", field
        )
    )


# Common names that are not the HCP's: the city a province is known by.
ALIASES = {
    "12.391": ["Dakhla", "الداخلة"],
    "11.221": ["Smara", "Semara"],
    "03.231": ["Fez"],
    "09.001": ["Agadir Ida Outanane"],
}


def _codes(code: str) -> list[str]:
    """An HCP code as spreadsheets keep it: "09.001", "09001", "9.001", "9001"."""
    compact = code.replace(".", "")
    return sorted({code, compact, code.lstrip("0"), compact.lstrip("0")} - {""})


def territory_reference(level: str) -> Reference:
    """The regions, provinces and prefectures, or communes, to recognise in a
    file: by HCP code or by French or Arabic name (see relais.core.reconcile)."""
    field = "name_ar" if get_language() == "ar" else "name_fr"
    return Reference.of(
        (
            pk,
            f"{name} ({code})",
            _codes(code),
            [name_fr, name_ar, *ALIASES.get(code, [])],
            path,
        )
        for pk, code, name_fr, name_ar, name, path in Territory.objects.filter(
            level=level
        ).values_list("pk", "code", "name_fr", "name_ar", field, "path")
    )
