"""Reads of organisations, always within the reader's scope."""

from django.db.models import Q, QuerySet

from relais.core.scoping import get_or_404

from .models import Organisation
from .policies import OrganisationPolicy


def organisation_list(
    *, actor, search: str = "", kind: str = "", territory=None, parent=None
) -> QuerySet:
    qs = Organisation.objects.filter(OrganisationPolicy.readable(actor))
    if search:
        qs = qs.filter(
            Q(name_fr__icontains=search)
            | Q(name_ar__icontains=search)
            | Q(code__iexact=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if territory is not None:
        qs = qs.filter(territory_path__startswith=territory.path)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.select_related("territory", "parent").order_by("path")


def organisation_get(*, actor, pk) -> Organisation:
    return get_or_404(organisation_list(actor=actor), pk=pk)


def organisation_readable(*, actor, organisation: Organisation) -> bool:
    """Whether the actor may open this organisation's page: a centre's parent
    coordination, say, may lie outside a front desk's scope."""
    return organisation_list(actor=actor).filter(pk=organisation.pk).exists()


def organisation_people_count(*, organisation: Organisation) -> int:
    """How many affiliations the organisation holds (the organisation already
    read in scope)."""
    return organisation.affiliations.count()


def organisation_get_editable(*, actor, pk) -> Organisation:
    qs = Organisation.objects.filter(OrganisationPolicy.where(actor, "edit"))
    return get_or_404(qs.select_related("territory", "parent"), pk=pk)


def organisation_choices(*, actor) -> QuerySet:
    """Organisations the actor may attach things to (people, child organisations)."""
    return Organisation.objects.filter(
        OrganisationPolicy.where(actor, "edit")
    ).order_by("path")
