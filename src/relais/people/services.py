"""Writes to people and their affiliations: checked, atomic, audited."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core import counters, protected
from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.names import search_key
from relais.core.services import model_update

from .bulk import check_details
from .models import Affiliation, Person
from .policies import PersonPolicy

CIN_TAKEN = gettext_lazy("Another person already has this CIN.")
# The same words whatever the reason, so that they tell nothing of where, or
# whether, the CIN is held.
CIN_REFUSED = gettext_lazy(
    "This CIN cannot be registered here. If this person should be added, ask your "
    "coordinator."
)
CIN_TOO_MANY_REFUSALS = gettext_lazy(
    "Too many CINs could not be registered in the last hour: CINs cannot be entered "
    "for now. Try again in an hour, or ask your coordinator."
)


def _cin_problem(actor, digest: str, person: Person | None):
    """Why this CIN cannot be given to `person` (None: a new person), or None.

    Where the actor may read the holder's CIN in full, the answer is plain: it
    tells them nothing they may not read. Anywhere else it is neutral, it is
    audited (with the holder, never the CIN), and it counts towards a small limit
    per user and hour; past that limit no CIN is checked at all, so that trying
    CINs one after another tells nothing, whether each is taken or free.
    """
    refusals = f"cin-refusals:{actor.pk}"
    if (
        counters.value(refusals, window=counters.HOUR)
        >= settings.RELAIS_CIN_REFUSALS_PER_HOUR
    ):
        return CIN_TOO_MANY_REFUSALS
    holders = Person.objects.filter(cin_digest=digest)
    if person is not None:
        holders = holders.exclude(pk=person.pk)
    holder = holders.first()
    if holder is None:
        return None
    if PersonPolicy.can(actor, "view_identifiers", holder):
        return CIN_TAKEN
    counters.hit(refusals, window=counters.HOUR)
    audit(
        actor,
        "person.cin_refused",
        holder,
        details={"for": "update" if person is not None else "create"},
    )
    return CIN_REFUSED


def _clean(fields: dict, *, actor, cin: str | None, person: Person | None) -> dict:
    """Check and normalise what a user typed, with the rules an import keeps
    too (people.bulk.check_details); every problem is reported at once.

    Called outside the transaction that writes: a refused CIN is audited even
    though nothing else is written.
    """
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if cin:
        cleaned["cin"] = cin
    errors = {
        name: [message]
        for name, message in check_details(cleaned, timezone.localdate()).items()
    }
    clear = cleaned.pop("cin", None)
    if clear and "cin" not in errors:
        digest = protected.digest(clear)
        problem = _cin_problem(actor, digest, person)
        if problem is not None:
            errors["cin"] = [problem]
        cleaned.update(
            cin_encrypted=protected.encrypt(clear),
            cin_digest=digest,
            cin_masked=protected.mask(clear),
        )
    if errors:
        raise ApplicationError(errors)
    return cleaned


def _refresh_search_key(person: Person) -> None:
    person.search_key = search_key(
        person.first_name,
        person.last_name,
        person.first_name_ar,
        person.last_name_ar,
        person.full_name_latin,
        person.full_name_ar,
    )


def person_create(
    *, actor, organisation, function: str = "", cin: str = "", **fields
) -> Person:
    """Create a person affiliated to an organisation the actor manages."""
    if not PersonPolicy.can(actor, "affiliate", organisation):
        raise ApplicationError({"organisation": PersonPolicy.actions["affiliate"]})
    cleaned = _clean(fields, actor=actor, cin=cin or None, person=None)
    with transaction.atomic():
        person = Person(**cleaned)
        _refresh_search_key(person)
        person.full_clean()
        person.save()
        Affiliation.objects.create(
            person=person, organisation=organisation, function=function
        )
        audit(actor, "person.create", person)
    return person


def person_update(*, actor, person: Person, cin: str = "", **fields) -> Person:
    """Change a person's details; an empty CIN leaves the stored one as it is."""
    PersonPolicy.require(actor, "edit", person)
    cleaned = _clean(fields, actor=actor, cin=cin or None, person=person)
    with transaction.atomic():
        return _person_save(actor=actor, person=person, cleaned=cleaned)


def _person_save(*, actor, person: Person, cleaned: dict) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    PersonPolicy.require(actor, "edit", person)
    changed = sorted(
        name
        for name, value in cleaned.items()
        if name in Person.DETAILS and getattr(person, name) != value
    )
    if "cin_digest" in cleaned and cleaned["cin_digest"] != person.cin_digest:
        changed.append("cin")
    model_update(person, cleaned, cleaned)
    _refresh_search_key(person)
    person.full_clean()
    person.save()
    # Field names only: the audit log must not become a copy of personal data.
    audit(actor, "person.update", person, details={"fields": changed})
    return person


@transaction.atomic
def affiliation_add(
    *, actor, person: Person, organisation, function: str = ""
) -> Affiliation:
    if not PersonPolicy.can(actor, "affiliate", organisation):
        raise ApplicationError({"organisation": PersonPolicy.actions["affiliate"]})
    if person.affiliations.filter(organisation=organisation).exists():
        raise ApplicationError(
            {
                "organisation": _(
                    "This person is already affiliated to this organisation."
                )
            }
        )
    affiliation = Affiliation.objects.create(
        person=person, organisation=organisation, function=function
    )
    audit(actor, "affiliation.create", affiliation)
    return affiliation


@transaction.atomic
def affiliation_remove(*, actor, affiliation: Affiliation) -> None:
    if not PersonPolicy.can(actor, "affiliate", affiliation.organisation):
        raise ApplicationError(_("You cannot change this affiliation."))
    if affiliation.person.affiliations.count() == 1:
        raise ApplicationError(
            _("A person keeps at least one affiliation; add another one first.")
        )
    audit(actor, "affiliation.delete", affiliation)
    affiliation.delete()
