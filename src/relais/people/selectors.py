"""Reads of people, within the reader's scope."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language

from relais.core.batches import chunks
from relais.core.names import query_terms
from relais.core.reconcile import Reference
from relais.core.scoping import get_or_404
from relais.organisations.selectors import organisation_list

from .models import Affiliation, Person
from .policies import PersonPolicy


def person_search_q(text: str) -> Q:
    """Either script, any common transliteration: see relais.core.names."""
    condition = Q(pk__in=[])
    for term in query_terms(text):
        condition |= Q(search_key__contains=f" {term}")
    return condition


def person_list(*, actor, search: str = "", organisation=None) -> QuerySet:
    qs = Person.objects.filter(PersonPolicy.readable(actor))
    if search:
        qs = qs.filter(person_search_q(search))
    if organisation is not None:
        qs = qs.filter(affiliations__organisation=organisation)
    return qs.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("organisation").order_by(
                "organisation__path"
            ),
        )
    ).order_by("last_name", "first_name", "id")


def person_get(*, actor, pk) -> Person:
    return get_or_404(person_list(actor=actor), pk=pk)


def person_get_editable(*, actor, pk) -> Person:
    return get_or_404(Person.objects.filter(PersonPolicy.where(actor, "edit")), pk=pk)


def person_is_editable(*, actor, person: Person) -> bool:
    return PersonPolicy.can(actor, "edit", person)


def affiliation_get(*, person: Person, pk) -> Affiliation:
    """One of the person's affiliations (the person already read in scope)."""
    return get_or_404(person.affiliations.select_related("organisation"), pk=pk)


def person_ids_editable(*, actor, ids) -> set[int]:
    """Which of these people the actor may edit (a national role: all of them),
    asked a chunk at a time: an import asks about thousands."""
    ids = set(ids)
    if PersonPolicy.edits_everyone(actor):
        return ids
    found = set()
    for chunk in chunks(sorted(ids)):
        found.update(
            Person.objects.filter(
                PersonPolicy.where(actor, "edit"), pk__in=chunk
            ).values_list("pk", flat=True)
        )
    return found


def person_can_see_identifiers(*, actor, person: Person) -> bool:
    return PersonPolicy.can(actor, "view_identifiers", person)


def affiliable_organisations(actor) -> QuerySet:
    """Organisations the actor may attach people to."""
    return organisation_list(actor=actor).filter(PersonPolicy.where(actor, "affiliate"))


def affiliable_reference(actor) -> Reference:
    """The organisations the actor may affiliate people to, to recognise in a
    file by code or by French or Arabic name (see relais.core.reconcile)."""
    arabic = get_language() == "ar"
    return Reference.of(
        (
            pk,
            f"{name_ar if arabic else name_fr} ({code})",
            [code],
            [name_fr, name_ar],
            path,
        )
        for pk, code, name_fr, name_ar, path in affiliable_organisations(
            actor
        ).values_list("pk", "code", "name_fr", "name_ar", "path")
    )
