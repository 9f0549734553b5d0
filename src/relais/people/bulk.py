"""A person's details checked, and people written in bulk.

`check_details` is the one set of rules for what people type about a person,
whoever types it: the person pages (through people.services) and an import of
people (imports.people, once it has read the spreadsheet's cells).

Writing in bulk: thousands of new, changed and affiliated people at once.
An import of people ends here, and only here: bulk SQL inside the caller's
transaction (COPY on PostgreSQL, executemany on SQLite), with the same checks
as the person pages: the actor adds people only to an organisation they may
affiliate to, and changes or affiliates only people they may edit. Every
existing person changed or affiliated is on the audit log by id, and the new
ones as the range of their ids.

A person to write is a "record": a plain tuple of the fields in the order of
RECORD, which is how an import keeps 500,000 checked rows in a modest worker.
"""

import datetime
from collections import defaultdict
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.db import connection, transaction
from django.forms import ChoiceField
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core import batches, bulk, protected
from relais.core.audit import audit, audit_many
from relais.core.errors import ApplicationError
from relais.core.names import search_key
from relais.core.validators import normalise_cin, normalise_phone

from .models import Person
from .policies import PersonPolicy
from .selectors import person_ids_editable

# (name, longest, required) for each of a person's names.
NAME_RULES = tuple(
    (name, Person._meta.get_field(name).max_length, name in ("first_name", "last_name"))
    for name in ("first_name", "last_name", "first_name_ar", "last_name_ar")
)
LONGEST_EMAIL = Person._meta.get_field("email").max_length
SEX_CODES = frozenset(Person.Sex.values)
DISABILITY_CODES = frozenset(Person.Disability.values)


def check_details(details: dict, today: datetime.date) -> dict[str, str]:
    """The problems of a person's details, field -> message; none when empty.

    `details` holds any of Person.DETAILS and "cin" (in clear), as typed or as
    read from a cell; only the fields it holds are checked. It is normalised
    in place: a birth date gives its year, the phone its E.164 form, the CIN
    its upper case. Called for every row of an import: the common case is kept
    to a few comparisons.
    """
    problems = {}
    get = details.get
    for name, longest, required in NAME_RULES:
        value = get(name)
        if value is None:
            continue
        if len(value) > longest:
            problems[name] = _too_long(value, longest)
        elif required and not value:
            problems[name] = _("This name is missing.")
    sex = get("sex")
    if sex and sex not in SEX_CODES:
        problems["sex"] = _("“%(value)s” is not a sex (F or M).") % {"value": sex}
    disability = get("disability")
    if disability and disability not in DISABILITY_CODES:
        problems["disability"] = ChoiceField.default_error_messages[
            "invalid_choice"
        ] % {"value": disability}
    birth_date = get("birth_date")
    if birth_date:
        if birth_date > today:
            problems["birth_date"] = _("The birth date cannot be in the future.")
        elif birth_date.year < 1900:
            problems["birth_date"] = _(
                "The birth year must be between 1900 and this year."
            )
        else:
            details["birth_year"] = birth_date.year
    year = get("birth_year")
    if year and not 1900 <= year <= today.year and "birth_date" not in problems:
        problems["birth_year"] = _("The birth year must be between 1900 and this year.")
    if get("phone"):
        try:
            details["phone"] = normalise_phone(details["phone"])
        except ValidationError as error:
            problems["phone"] = error.messages[0]
    if get("cin"):
        try:
            details["cin"] = normalise_cin(details["cin"])
        except ValidationError as error:
            problems["cin"] = error.messages[0]
    email = get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            problems["email"] = error.messages[0]
        else:
            if len(email) > LONGEST_EMAIL:
                problems["email"] = _too_long(email, LONGEST_EMAIL)
    return problems


def _too_long(value: str, limit: int) -> str:
    # Django's own words, in the user's language.
    return MaxLengthValidator.message % {
        "limit_value": limit,
        "show_value": len(value),
        "value": value,
    }


# What a record holds: the fields an import may update (a person's details, but
# the disability, which is asked only with the person's agreement, and the
# place they live), then the CIN and its digest.
UPDATABLE = (
    *(name for name in Person.DETAILS if name != "disability"),
    "residence_id",
)
RECORD = (*UPDATABLE, "cin", "digest")
FIRST, LAST, FIRST_AR, LAST_AR, SEX, BIRTH_DATE, BIRTH_YEAR = range(7)
CIN, DIGEST = len(UPDATABLE), len(UPDATABLE) + 1

# The columns a new person is written with, in the order of _person_rows;
# bulk.other_columns adds the defaults of the others.
PERSON_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "sex",
    "birth_date",
    "birth_year",
    "cin_encrypted",
    "cin_digest",
    "cin_masked",
    "phone",
    "email",
    "search_key",
    "residence_id",
]


@lru_cache(maxsize=65536)
def _search_key(first_name, last_name, first_name_ar, last_name_ar) -> str:
    # The same four names give the same key: computed once per spelling.
    return search_key(
        first_name,
        last_name,
        first_name_ar,
        last_name_ar,
        f"{first_name} {last_name}",
        f"{first_name_ar} {last_name_ar}",
    )


def _person_rows(records, first: int, now, progress=None):
    """The rows of people_person for new records, ids from `first`."""
    encrypt, mask = protected.encrypter(), protected.mask
    for pid, record in enumerate(records, start=first):
        (
            first_name,
            last_name,
            first_name_ar,
            last_name_ar,
            sex,
            birth_date,
            birth_year,
            phone,
            email,
            residence_id,
            cin,
            digest,
        ) = record
        yield (
            pid,
            now,
            now,
            first_name,
            last_name,
            first_name_ar,
            last_name_ar,
            sex,
            birth_date,
            birth_year,
            encrypt(cin) if cin else "",
            digest,
            mask(cin) if cin else "",
            phone,
            email,
            _search_key(first_name, last_name, first_name_ar, last_name_ar),
            residence_id,
        )
        done = pid - first + 1
        if progress and done % 5000 == 0:
            progress(done)


def _audit(actor, organisation, names, updates, affiliated, new_ids) -> None:
    """Put on record, by id, every existing person changed or affiliated, and
    the ids of the people created (one range: a file of 500,000 new people is
    one event, not 500,000)."""
    paths = (organisation.territory_path, organisation.path)

    def person(pk):
        return Person(pk=pk, first_name=names.get(pk, f"#{pk}"))

    audit_many(
        actor,
        "import.person.update",
        ((person(pk), {"fields": sorted(changes)}) for pk, changes in updates),
        paths=paths,
    )
    audit_many(
        actor,
        "import.person.affiliate",
        ((person(pk), {"organisation": organisation.code}) for pk in affiliated),
        paths=paths,
    )
    if new_ids:
        audit(
            actor,
            "import.people.create",
            organisation,
            details={"count": len(new_ids), "ids": [new_ids[0], new_ids[-1]]},
        )


def _digest_order(record: tuple) -> str:
    return record[DIGEST] or ""


@transaction.atomic
def people_bulk_write(
    *,
    actor,
    organisation,
    new: list[tuple],
    updates: list[tuple[int, dict]],
    affiliate: set[int],
    names: dict[int, str] | None = None,
    progress=None,
) -> dict:
    """Insert the new people, change the changed ones, and affiliate all of
    them to `organisation`, for `actor`.

    `new` holds records; `updates` (person id, {field: value}); `affiliate`
    the existing people to affiliate; `names` the existing people's names, for
    the audit log. `progress`, if given, is called with the number of new
    people written so far. Returns the counts of inserted and updated people.
    """
    PersonPolicy.require(actor, "affiliate", organisation)
    existing = {pk for pk, _changes in updates} | set(affiliate)
    if existing - person_ids_editable(actor=actor, ids=existing):
        raise ApplicationError(_("Some of these people are not yours to change."))
    if connection.vendor == "postgresql":
        # New ids are taken after the current maximum: no other import may
        # interleave. Readers are not blocked.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE people_person IN SHARE ROW EXCLUSIVE MODE")
    now = timezone.now()
    if connection.vendor == "sqlite":
        # Exactly what Django's SQLite adapter writes, once instead of per row.
        now = now.isoformat(" ")
    # New people are numbered in the order of their CIN's digest (those without
    # one first, in the file's order): the unique index on the digest is then
    # written in order, page after page, instead of at random. On 500,000 rows
    # that halves the time of the insert.
    new = sorted(new, key=_digest_order)
    first = bulk.next_id("people_person")
    others, defaults = bulk.other_columns(Person, PERSON_COLUMNS)
    rows = _person_rows(new, first, now, progress)
    if others:
        rows = (row + defaults for row in rows)
    bulk.insert("people_person", [*PERSON_COLUMNS, *others], rows)
    new_ids = range(first, first + len(new))
    by_fields = defaultdict(list)
    for person_id, changes in updates:
        by_fields[tuple(sorted(changes))].append((person_id, changes))
    for fields, group in by_fields.items():
        bulk.update(
            "people_person",
            [*fields, "updated_at"],
            [(*[c[n] for n in fields], now, pid) for pid, c in group],
        )
    already = set()
    for chunk in batches.chunks(sorted(affiliate)):
        already.update(
            person_id
            for (person_id,) in batches.select_in(
                "people_affiliation",
                ["person_id"],
                "person_id",
                chunk,
                where="organisation_id = %s",
                params=[organisation.pk],
            )
        )
    organisation_id = organisation.pk
    affiliation = bulk.next_id("people_affiliation")
    columns = "id, created_at, updated_at, person_id, organisation_id, function"
    if new:
        # The new people's affiliations are made by the database from their
        # ids, in the same order: no row of them goes through Python.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO people_affiliation ({columns}) "
                "SELECT id + %s, %s, %s, id, %s, '' FROM people_person "
                "WHERE id >= %s AND id < %s",  # nosec B608
                [affiliation - first, now, now, organisation_id, first, new_ids.stop],
            )
    affiliated = [p for p in affiliate if p not in already]
    bulk.insert(
        "people_affiliation",
        columns.split(", "),
        (
            (i, now, now, pid, organisation_id, "")
            for i, pid in enumerate(affiliated, start=affiliation + len(new))
        ),
    )
    bulk.reset_sequences("people_person", "people_affiliation")
    _audit(actor, organisation, names or {}, updates, affiliated, new_ids)
    return {"inserted": len(new), "updated": len(updates)}
