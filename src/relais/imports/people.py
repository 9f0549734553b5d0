"""Importing people and beneficiaries: check, deduplicate, then upsert in bulk.

The same pass serves the dry run and the commit. Each row is cleaned with fast
paths for the common cases (a Moroccan mobile number, an ISO or French date) and
the full checks for the rest. A person is matched on the CIN first (the same CIN
is the same person); without one, on the same name and birth date. A similar
name in either script with the same birth date is a *likely* duplicate: the user
decides to merge, skip or create. Writes are bulk SQL inside one transaction, so
an import goes in whole or not at all, even if the process is killed.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from relais.core import bulk, protected
from relais.core.names import fold, search_key, variants
from relais.core.validators import normalise_cin, normalise_phone
from relais.people.models import Person
from relais.territory.models import Territory

PHONE = re.compile(r"^(?:\+212|00212|0)([5-7]\d{8})$")
PHONE_NOISE = re.compile(r"[\s.\-()/]")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
SEXES = {
    "f": "F",
    "femme": "F",
    "feminin": "F",
    "female": "F",
    "أنثى": "F",
    "انثى": "F",
    "m": "M",
    "h": "M",
    "homme": "M",
    "masculin": "M",
    "male": "M",
    "ذكر": "M",
}
UPDATABLE = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "sex",
    "birth_date",
    "birth_year",
    "phone",
    "email",
    "residence_id",
)
LIKELY_SCORE = 88
FIELDS = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "sex",
    "birth_date",
    "birth_year",
    "cin",
    "phone",
    "email",
    "province",
)


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Plan:
    """What an import would do, row by row; the dry run shows it, commit does it."""

    rows: int = 0
    new: list[tuple[int, dict]] = field(default_factory=list)
    updates: list[tuple[int, int, dict]] = field(default_factory=list)
    unchanged: list[tuple[int, int]] = field(default_factory=list)
    # (row, existing person id, what the file says, the existing person's name)
    likely: list[tuple[int, int, dict, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Existing people to affiliate to the import's organisation.
    affiliate: set[int] = field(default_factory=set)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}


def _date(value: str):
    value = value.strip()
    match = ISO_DATE.match(value)
    if match:
        year, month, day = (int(x) for x in match.groups())
    else:
        match = FRENCH_DATE.match(value)
        if not match:
            raise ValueError
        day, month, year = (int(x) for x in match.groups())
    return datetime.date(year, month, day)


def _phone(value: str) -> str:
    compact = PHONE_NOISE.sub("", value)
    match = PHONE.match(compact)
    if match:
        return "+212" + match.group(1)
    return normalise_phone(value)


class Cleaner:
    """Turns one raw row into Person fields, or into problems with their column."""

    def __init__(self, mapping: dict[str, int], headers: list[str]):
        self.mapping = mapping
        self.headers = headers
        # HCP codes are written "09.001" or, by spreadsheets, "09001".
        self.provinces = {}
        for pk, code in Territory.objects.filter(level="province").values_list(
            "pk", "code"
        ):
            self.provinces[code] = self.provinces[code.replace(".", "")] = pk
        self.today = timezone.localdate()

    def clean(self, number: int, row: list[str]) -> tuple[dict, list[Problem]]:
        problems: list[Problem] = []

        def problem(name, message):
            problems.append(Problem(number, self.headers[self.mapping[name]], message))

        # One pass over the mapped cells: this runs for every row of large files.
        width = len(row)
        cells = dict.fromkeys(FIELDS, "")
        for name, index in self.mapping.items():
            if index < width:
                cells[name] = row[index].strip()
        data = {
            name: cells[name]
            for name in (
                "first_name",
                "last_name",
                "first_name_ar",
                "last_name_ar",
                "email",
            )
        }
        for name in ("first_name", "last_name"):
            if not data[name]:
                if name in self.mapping:
                    problem(name, _("This name is missing."))
                else:
                    problems.append(Problem(number, name, _("This name is missing.")))
        sex = cells["sex"]
        data["sex"] = SEXES.get(fold(sex), "") if sex else ""
        if sex and not data["sex"]:
            problem("sex", _("“%(value)s” is not a sex (F or M).") % {"value": sex})
        data["birth_date"], data["birth_year"] = None, None
        raw_date = cells["birth_date"]
        if raw_date:
            try:
                birth = _date(raw_date)
            except ValueError:
                problem(
                    "birth_date",
                    _("“%(value)s” is not a possible date.") % {"value": raw_date},
                )
            else:
                if birth > self.today or birth.year < 1900:
                    problem(
                        "birth_date",
                        _("“%(value)s” is not a possible birth date.")
                        % {"value": raw_date},
                    )
                else:
                    data["birth_date"], data["birth_year"] = birth, birth.year
        raw_year = cells["birth_year"]
        if raw_year and data["birth_year"] is None:
            if raw_year.isdigit() and 1900 <= int(raw_year) <= self.today.year:
                data["birth_year"] = int(raw_year)
            else:
                problem(
                    "birth_year",
                    _("“%(value)s” is not a possible birth year.")
                    % {"value": raw_year},
                )
        data["cin"], data["digest"] = "", None
        raw_cin = cells["cin"]
        if raw_cin:
            try:
                data["cin"] = normalise_cin(raw_cin)
            except ValidationError as error:
                problem("cin", error.messages[0])
            else:
                data["digest"] = protected.digest(data["cin"])
        data["phone"] = ""
        raw_phone = cells["phone"]
        if raw_phone:
            try:
                data["phone"] = _phone(raw_phone)
            except ValidationError as error:
                problem("phone", error.messages[0])
        data["residence_id"] = None
        province = cells["province"]
        if province:
            data["residence_id"] = self.provinces.get(province)
            if data["residence_id"] is None:
                problem(
                    "province",
                    _("“%(value)s” is not a province or prefecture code.")
                    % {"value": province},
                )
        return data, problems


def _exact_key(data: dict) -> tuple:
    return (
        fold(f"{data['first_name']} {data['last_name']}"),
        data["birth_date"] or data["birth_year"],
    )


def _likely_key(data: dict) -> str:
    return max(variants(f"{data['first_name']} {data['last_name']}") or {""}, key=len)


def plan(rows, mapping: dict[str, int], headers: list[str]) -> Plan:
    """Read every row, check it, and decide what would happen to it."""
    cleaner = Cleaner(mapping, headers)
    result = Plan()
    cleaned: list[tuple[int, dict]] = []
    seen_cin: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        result.rows += 1
        data, problems = cleaner.clean(number, row)
        if data["cin"]:
            first = seen_cin.setdefault(data["cin"], number)
            if first != number:
                problems.append(
                    Problem(
                        number,
                        cleaner.headers[mapping["cin"]],
                        _("Same CIN as row %(row)s.") % {"row": first},
                    )
                )
        elif data["first_name"] and data["last_name"]:
            first = seen_key.setdefault(_exact_key(data), number)
            if first != number:
                problems.append(
                    Problem(
                        number, "—", _("Same person as row %(row)s.") % {"row": first}
                    )
                )
        if problems:
            result.problems.extend(problems)
        else:
            cleaned.append((number, data))
    _match(cleaned, result)
    return result


def _match(cleaned, result: Plan) -> None:
    """Classify clean rows against the people already in the database."""
    digests = {d["digest"]: n for n, d in cleaned if d["digest"]}
    by_digest = {}
    for chunk in bulk.chunks(list(digests)):
        by_digest.update(
            Person.objects.filter(cin_digest__in=chunk).values_list("cin_digest", "pk")
        )
    births = {d["birth_date"] for _, d in cleaned if d["birth_date"]}
    years = {
        d["birth_year"] for _, d in cleaned if d["birth_year"] and not d["birth_date"]
    }
    candidates = defaultdict(list)
    fields = ["pk", "cin_digest", *UPDATABLE]
    existing = {}
    for chunk in bulk.chunks(sorted(births)):
        for values in Person.objects.filter(birth_date__in=chunk).values(*fields):
            existing[values["pk"]] = values
            candidates[values["birth_date"]].append(values)
    if years:
        for values in Person.objects.filter(
            birth_date__isnull=True, birth_year__in=years
        ).values(*fields):
            existing[values["pk"]] = values
            candidates[values["birth_year"]].append(values)
    matched_ids = [
        by_digest[d["digest"]] for _, d in cleaned if d["digest"] in by_digest
    ]
    for chunk in bulk.chunks(matched_ids):
        for values in Person.objects.filter(pk__in=chunk).values(*fields):
            existing[values["pk"]] = values
    exact = {}
    for group in candidates.values():
        for values in group:
            exact.setdefault(_exact_key(values), values["pk"])
    likely_index = {
        key: ([_likely_key(v) for v in group], group)
        for key, group in candidates.items()
    }
    for number, data in cleaned:
        person_id = None
        if data["digest"]:
            person_id = by_digest.get(data["digest"])
        if person_id is None:
            person_id = exact.get(_exact_key(data))
            # The same name and birth date, but another CIN: not the same person.
            if (
                person_id is not None
                and data["cin"]
                and existing[person_id]["cin_digest"]
            ):
                person_id = None
        if person_id is not None:
            changes = {
                name: data[name]
                for name in UPDATABLE
                if data[name] not in ("", None)
                and data[name] != existing[person_id][name]
            }
            if changes:
                result.updates.append((number, person_id, changes))
            else:
                result.unchanged.append((number, person_id))
            result.affiliate.add(person_id)
            continue
        key = data["birth_date"] or data["birth_year"]
        if key in likely_index:
            keys, group = likely_index[key]
            found = process.extractOne(
                _likely_key(data), keys, scorer=fuzz.ratio, score_cutoff=LIKELY_SCORE
            )
            if found is not None:
                other = group[found[2]]
                result.likely.append(
                    (
                        number,
                        other["pk"],
                        data,
                        f"{other['first_name']} {other['last_name']}",
                    )
                )
                continue
        result.new.append((number, data))


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


def _person_row(pid, now, data):
    cin = data["cin"]
    return (
        pid,
        now,
        now,
        data["first_name"],
        data["last_name"],
        data["first_name_ar"],
        data["last_name_ar"],
        data["sex"],
        data["birth_date"],
        data["birth_year"],
        protected.encrypt(cin) if cin else "",
        data["digest"],
        protected.mask(cin) if cin else "",
        data["phone"],
        data["email"],
        search_key(
            data["first_name"],
            data["last_name"],
            data["first_name_ar"],
            data["last_name_ar"],
            f"{data['first_name']} {data['last_name']}",
            f"{data['first_name_ar']} {data['last_name_ar']}",
        ),
        data["residence_id"],
    )


@transaction.atomic
def write(result: Plan, *, organisation, decisions: dict[int, str], progress=None):
    """Apply a plan: insert the new, update the changed, affiliate everyone.

    `decisions`: row number -> "merge", "skip" or "create" for likely duplicates.
    Returns the counts. Runs in one transaction: all of it or nothing.
    """
    if connection.vendor == "postgresql":
        # New ids are taken after the current maximum: no other import may
        # interleave. Readers are not blocked.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE people_person IN SHARE ROW EXCLUSIVE MODE")
    now = timezone.now()
    new = list(result.new)
    updates = list(result.updates)
    affiliate = set(result.affiliate)
    skipped = []
    for number, person_id, data, _name in result.likely:
        choice = decisions.get(number, "skip")
        if choice == "create":
            new.append((number, data))
        elif choice == "merge":
            updates.append(
                (
                    number,
                    person_id,
                    {k: data[k] for k in UPDATABLE if data[k] not in ("", None)},
                )
            )
            affiliate.add(person_id)
        else:
            skipped.append(number)
    first = bulk.next_id("people_person")
    done = 0

    def person_rows():
        nonlocal done
        for offset, (_number, data) in enumerate(new):
            done += 1
            if progress and done % 5000 == 0:
                progress(done)
            yield _person_row(first + offset, now, data)

    bulk.insert("people_person", PERSON_COLUMNS, person_rows())
    new_ids = range(first, first + len(new))
    by_fields = defaultdict(list)
    for _number, person_id, changes in updates:
        by_fields[tuple(sorted(changes))].append((person_id, changes))
    for names, group in by_fields.items():
        bulk.update(
            "people_person",
            [*names, "updated_at"],
            [(*[c[n] for n in names], now, pid) for pid, c in group],
        )
    already = set()
    for chunk in bulk.chunks(sorted(affiliate)):
        already.update(
            organisation.affiliations.filter(person_id__in=chunk).values_list(
                "person_id", flat=True
            )
        )
    wanted = [*new_ids, *(p for p in affiliate if p not in already)]
    affiliation = bulk.next_id("people_affiliation")
    bulk.insert(
        "people_affiliation",
        [
            "id",
            "created_at",
            "updated_at",
            "person_id",
            "organisation_id",
            "function",
            "start_date",
        ],
        (
            (affiliation + i, now, now, pid, organisation.pk, "", None)
            for i, pid in enumerate(wanted)
        ),
    )
    bulk.reset_sequences("people_person", "people_affiliation")
    if progress:
        progress(result.rows)
    return {
        "inserted": len(new),
        "updated": len(updates),
        "unchanged": len(result.unchanged),
        "skipped": len(skipped),
    }
