"""Importing people and beneficiaries: check, deduplicate, then upsert in bulk.

The same pass serves the dry run and the commit. Each row is cleaned with fast
paths for the common cases (a Moroccan mobile number, an ISO or French date) and
the full checks for the rest. A person is matched on the CIN first (the same CIN
is the same person); without one, on the same name and birth date. A similar
name in either script with the same birth date is a *likely* duplicate: the user
decides to merge, skip or create. Writes are bulk SQL inside one transaction, so
an import goes in whole or not at all, even if the process is killed.

An import acts for its user and reaches no further than their pages do: only
people they may edit are matched, updated or affiliated, and only among them
are likely duplicates looked for. A CIN already held by someone outside their
reach makes the row a problem that names no one; the commit checks everything
again as the user who commits. Every existing person an import changes or
affiliates is on the audit log by id.

Files of hundreds of thousands of rows must fit in a modest worker: a checked
row is kept as a plain tuple (a "record", fields in the order of `RECORD`), the
names and dates that repeat from row to row are shared, and the people already
in the database are read a chunk at a time. It all runs in one process: on two
cores a second one checking rows or encrypting CINs gained nothing (handing rows
over costs about what checking them does), and the database needs the other core.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from relais.core import batches, protected
from relais.core.names import fold, variants
from relais.core.validators import CIN_PATTERN, normalise_cin, normalise_phone
from relais.people.bulk import (
    BIRTH_DATE,
    BIRTH_YEAR,
    CIN,
    DIGEST,
    FIRST,
    LAST,
    RECORD,
    UPDATABLE,
    people_bulk_write,
)
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.people.selectors import person_ids_editable
from relais.territory.models import Territory

from .values import read_date

PHONE = re.compile(r"^(?:\+212|00212|0)([5-7]\d{8})$")
PHONE_NOISE = re.compile(r"[\s.\-()/]")
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
# Rows are checked and written in chunks of this many.
CHUNK_ROWS = 2000
# How often a long check says it is alive (a multiple of CHUNK_ROWS).
HEARTBEAT_ROWS = 50_000
# Memos of values that repeat (dates, names) are emptied when they reach this.
MEMO_SIZE = 200_000


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Plan:
    """What an import would do, row by row; the dry run shows it, commit does it.

    `new` holds records (tuples in the order of RECORD) to keep large files
    small; `likely` holds dictionaries, for the pages and the report.
    """

    rows: int = 0
    new: list[tuple[int, tuple]] = field(default_factory=list)
    updates: list[tuple[int, int, dict]] = field(default_factory=list)
    unchanged: list[tuple[int, int]] = field(default_factory=list)
    # (row, existing person id, what the file says, the existing person's name)
    likely: list[tuple[int, int, dict, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Existing people to affiliate to the import's organisation.
    affiliate: set[int] = field(default_factory=set)
    # The names of the existing people matched, for the audit log.
    names: dict[int, str] = field(default_factory=dict)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}


def as_dict(record: tuple) -> dict:
    return dict(zip(RECORD, record, strict=True))


def as_record(data: dict) -> tuple:
    return tuple(data[name] for name in RECORD)


def _phone(value: str) -> str:
    # Most numbers are already compact: then the noise need not be removed.
    match = PHONE.match(value) or PHONE.match(PHONE_NOISE.sub("", value))
    if match:
        return "+212" + match.group(1)
    return normalise_phone(value)


class Cleaner:
    """Turns one raw row into a record, and problems with their column."""

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
        # Unmapped fields read a cell that rows are padded with, always empty.
        self.width = max([len(headers), *(i + 1 for i in mapping.values())])
        self.cells = itemgetter(*(mapping.get(name, self.width) for name in FIELDS))
        self.columns = {name: headers[i] for name, i in mapping.items()}
        self.dates: dict[str, tuple] = {}
        self.sexes: dict[str, str] = {}
        self.shared: dict[str, str] = {}
        self.digest = protected.digester()

    def _birth(self, raw: str) -> tuple:
        """(date, year, message) for a birth-date cell; remembered by its text."""
        if raw in self.dates:
            return self.dates[raw]
        try:
            birth = read_date(raw)
        except ValueError:
            found = (None, None, _("“%(value)s” is not a possible date."))
        else:
            if birth > self.today or birth.year < 1900:
                found = (None, None, _("“%(value)s” is not a possible birth date."))
            else:
                found = (birth, birth.year, None)
        if len(self.dates) >= MEMO_SIZE:
            self.dates.clear()
        self.dates[raw] = found
        return found

    def clean(self, number: int, row: list[str]) -> tuple[tuple, list[Problem]]:
        """The record of a row (partial when there are problems) and its problems."""
        problems: list[Problem] = []
        columns = self.columns

        def problem(name, message):
            problems.append(Problem(number, columns[name], message))

        width = self.width
        if len(row) <= width:
            row = [*row, *[""] * (width + 1 - len(row))]
        else:  # cells past the header are not read
            row = [*row[:width], ""]
        (
            first_name,
            last_name,
            first_name_ar,
            last_name_ar,
            sex,
            raw_date,
            raw_year,
            raw_cin,
            raw_phone,
            email,
            province,
        ) = map(str.strip, self.cells(row))
        # The same first name in a thousand rows is kept once.
        shared = self.shared.setdefault
        for name, value in (("first_name", first_name), ("last_name", last_name)):
            if not value:
                if name in columns:
                    problem(name, _("This name is missing."))
                else:
                    problems.append(Problem(number, name, _("This name is missing.")))
        if sex:
            raw_sex = sex
            sex = self.sexes.get(raw_sex)
            if sex is None:
                sex = self.sexes[raw_sex] = SEXES.get(fold(raw_sex), "")
            if not sex:
                problem(
                    "sex", _("“%(value)s” is not a sex (F or M).") % {"value": raw_sex}
                )
        birth_date = birth_year = None
        if raw_date:
            birth_date, birth_year, message = self._birth(raw_date)
            if message:
                problem("birth_date", message % {"value": raw_date})
        if raw_year and birth_year is None:
            if raw_year.isdigit() and 1900 <= int(raw_year) <= self.today.year:
                birth_year = int(raw_year)
            else:
                problem(
                    "birth_year",
                    _("“%(value)s” is not a possible birth year.")
                    % {"value": raw_year},
                )
        cin, digest = "", None
        if raw_cin:
            if CIN_PATTERN.match(raw_cin):
                cin = raw_cin  # already upper case, without spaces
            else:
                try:
                    cin = normalise_cin(raw_cin)
                except ValidationError as error:
                    problem("cin", error.messages[0])
            if cin:
                digest = self.digest(cin)
        phone = ""
        if raw_phone:
            try:
                phone = _phone(raw_phone)
            except ValidationError as error:
                problem("phone", error.messages[0])
        residence_id = None
        if province:
            residence_id = self.provinces.get(province)
            if residence_id is None:
                problem(
                    "province",
                    _("“%(value)s” is not a province or prefecture code.")
                    % {"value": province},
                )
        record = (
            shared(first_name, first_name),
            shared(last_name, last_name),
            shared(first_name_ar, first_name_ar),
            shared(last_name_ar, last_name_ar),
            sex,
            birth_date,
            birth_year,
            phone,
            email,
            residence_id,
            cin,
            digest,
        )
        return record, problems

    def clean_chunk(self, chunk: list[tuple[int, list[str]]]) -> tuple[list, ...]:
        """The numbers, records and problems (None for none) of a chunk of rows."""
        if len(self.shared) >= MEMO_SIZE:
            self.shared.clear()
        clean = self.clean
        numbers, records, problems = [], [], []
        for number, row in chunk:
            record, found = clean(number, row)
            numbers.append(number)
            records.append(record)
            problems.append(found or None)
        return numbers, records, problems


def _record_exact_key(record: tuple) -> tuple:
    return (
        fold(f"{record[FIRST]} {record[LAST]}"),
        record[BIRTH_DATE] or record[BIRTH_YEAR],
    )


@lru_cache(maxsize=65536)
def _name_likely_key(first_name: str, last_name: str) -> str:
    return max(variants(f"{first_name} {last_name}") or {""}, key=len)


def _checked(rows, cleaner: Cleaner, result: Plan, heartbeat=None):
    """Chunks of (numbers, records, problems) for the non-empty rows, in order."""
    chunk: list[tuple[int, list[str]]] = []
    for number, row in enumerate(rows, start=2):
        # Equivalent to "any cell has something", in one call.
        if not "".join(row).strip():
            continue
        result.rows += 1
        chunk.append((number, row))
        if len(chunk) == CHUNK_ROWS:
            if heartbeat and result.rows % HEARTBEAT_ROWS == 0:
                heartbeat()
            yield cleaner.clean_chunk(chunk)
            chunk = []
    if chunk:
        yield cleaner.clean_chunk(chunk)


class Reach:
    """The people an import's user may edit: the only ones it may match."""

    def __init__(self, actor):
        self.actor = actor
        self.everyone = PersonPolicy.edits_everyone(actor)

    def editable(self, ids) -> set[int]:
        return person_ids_editable(actor=self.actor, ids=ids)

    def people(self):
        if self.everyone:
            return Person.objects.all()
        return Person.objects.filter(PersonPolicy.editable_by(self.actor))


def plan(
    rows, mapping: dict[str, int], headers: list[str], *, actor, heartbeat=None
) -> Plan:
    """Read every row, check it, and decide what would happen to it, for `actor`.

    `heartbeat`, if given, is called every HEARTBEAT_ROWS rows.
    """
    cleaner = Cleaner(mapping, headers)
    result = Plan()
    cleaned: list[tuple[int, tuple]] = []
    seen_cin: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    cin_column = headers[mapping["cin"]] if "cin" in mapping else "cin"
    first_cin, first_key = seen_cin.setdefault, seen_key.setdefault
    keep, report = cleaned.append, result.problems.extend
    for numbers, records, found in _checked(rows, cleaner, result, heartbeat):
        for number, record, problems in zip(numbers, records, found, strict=True):
            if record[CIN]:
                first = first_cin(record[CIN], number)
                if first != number:
                    problems = problems or []
                    problems.append(
                        Problem(
                            number,
                            cin_column,
                            _("Same CIN as row %(row)s.") % {"row": first},
                        )
                    )
            elif record[FIRST] and record[LAST]:
                first = first_key(_record_exact_key(record), number)
                if first != number:
                    problems = problems or []
                    problems.append(
                        Problem(
                            number,
                            "—",
                            _("Same person as row %(row)s.") % {"row": first},
                        )
                    )
            if problems:
                report(problems)
            else:
                keep((number, record))
    del seen_cin, seen_key
    _match(cleaned, result, Reach(actor), cin_column)
    return result


# What is read of a person already there: a tuple, the id, the digest and then
# the updatable fields in the order of a record.
EXISTING = ("pk", "cin_digest", *UPDATABLE)


def _changes(record: tuple, existing: tuple) -> dict:
    if record[:CIN] == existing[2:]:
        return {}  # the common case of a file imported again
    return {
        name: record[i]
        for i, name in enumerate(UPDATABLE)
        if record[i] not in ("", None) and record[i] != existing[i + 2]
    }


def _match(
    cleaned: list[tuple[int, tuple]], result: Plan, reach: Reach, cin_column: str
) -> None:
    """Classify clean rows against the people already in the database.

    People are read a chunk at a time, first by CIN digest, then by birth date
    (or year) for the rows no digest matched: a file of people already known
    reads each of them once, and never the whole table. Only people within the
    user's reach are matched.
    """
    pending: dict = defaultdict(list)  # birth date or year -> unmatched records
    for chunk in batches.chunks(cleaned):
        by_digest = dict(
            batches.select_in(
                "people_person",
                ["cin_digest", "id"],
                "cin_digest",
                [r[DIGEST] for _n, r in chunk if r[DIGEST]],
            )
        )
        editable = reach.editable(by_digest.values())
        existing = _people(list(editable))
        for number, record in chunk:
            person_id = by_digest.get(record[DIGEST]) if record[DIGEST] else None
            if person_id is None:
                pending[record[BIRTH_DATE] or record[BIRTH_YEAR]].append(
                    (number, record)
                )
            elif person_id not in editable:
                # Said the same way whoever holds the CIN, and naming no one.
                result.problems.append(
                    Problem(
                        number,
                        cin_column,
                        _(
                            "Already registered by another structure: ask your "
                            "coordinator."
                        ),
                    )
                )
            else:
                _matched(result, number, record, existing[person_id])
    # Rows without a birth date or year only ever match on their CIN.
    result.new.extend(pending.pop(None, []))
    dates = sorted(k for k in pending if isinstance(k, datetime.date))
    years = sorted(k for k in pending if not isinstance(k, datetime.date))
    for chunk in batches.chunks(dates):
        people = reach.people().filter(birth_date__in=chunk)
        _match_births(result, [pending.pop(k) for k in chunk], people, BIRTH_DATE)
    for chunk in batches.chunks(years):
        people = reach.people().filter(birth_date__isnull=True, birth_year__in=chunk)
        _match_births(result, [pending.pop(k) for k in chunk], people, BIRTH_YEAR)
    # Each list was filled in two runs of increasing rows: sorting is a merge.
    for items in (result.new, result.updates, result.unchanged, result.likely):
        items.sort(key=itemgetter(0))
    result.problems.sort(key=lambda p: p.row)


def _people(ids: list[int]) -> dict[int, tuple]:
    """The people of these ids (a chunk), as tuples in the order of EXISTING."""
    people = {}
    dates: dict = {}
    columns = ["id", "cin_digest", *UPDATABLE]
    for values in batches.select_in("people_person", columns, "id", ids):
        birth = values[BIRTH_DATE + 2]
        if isinstance(birth, str):  # SQLite gives dates as text
            if birth not in dates:
                dates[birth] = datetime.date.fromisoformat(birth)
            values = (
                *values[: BIRTH_DATE + 2],
                dates[birth],
                *values[BIRTH_DATE + 3 :],
            )
        people[values[0]] = values
    return people


def _matched(result: Plan, number: int, record: tuple, existing: tuple) -> None:
    changes = _changes(record, existing)
    if changes:
        result.updates.append((number, existing[0], changes))
    else:
        result.unchanged.append((number, existing[0]))
    result.affiliate.add(existing[0])
    result.names[existing[0]] = f"{existing[FIRST + 2]} {existing[LAST + 2]}"


def _match_births(result: Plan, groups: list[list], people, key: int) -> None:
    """Match the rows no CIN matched, of some birth dates (or years), on the name.

    `key` is the record field the people were chosen on (BIRTH_DATE or
    BIRTH_YEAR). They come in the model's order (names, then ids), which decides
    between two namesakes.
    """
    candidates = defaultdict(list)
    for values in people.values_list(*EXISTING):
        candidates[values[key + 2]].append(values)
    for rows in groups:
        _number, record = rows[0]
        group = candidates.get(record[BIRTH_DATE] or record[BIRTH_YEAR])
        if not group:
            # No one in the database was born that day (or year): all new.
            result.new.extend(rows)
            continue
        exact = {}
        for values in group:
            exact.setdefault(
                (
                    fold(f"{values[FIRST + 2]} {values[LAST + 2]}"),
                    values[BIRTH_DATE + 2] or values[BIRTH_YEAR + 2],
                ),
                values,
            )
        keys = [_name_likely_key(v[FIRST + 2], v[LAST + 2]) for v in group]
        for number, record in rows:
            other = exact.get(_record_exact_key(record))
            # The same name and birth date, but another CIN: not the same person.
            if other is not None and not (record[CIN] and other[1]):
                _matched(result, number, record, other)
                continue
            found = process.extractOne(
                _name_likely_key(record[FIRST], record[LAST]),
                keys,
                scorer=fuzz.ratio,
                score_cutoff=LIKELY_SCORE,
            )
            if found is not None:
                other = group[found[2]]
                result.names[other[0]] = f"{other[FIRST + 2]} {other[LAST + 2]}"
                result.likely.append(
                    (
                        number,
                        other[0],
                        as_dict(record),
                        f"{other[FIRST + 2]} {other[LAST + 2]}",
                    )
                )
            else:
                result.new.append((number, record))


def write(
    result: Plan,
    *,
    actor,
    organisation,
    decisions: dict[int, str],
    shown: dict[int, int] | None = None,
    progress=None,
):
    """Apply a plan: insert the new, update the changed, affiliate everyone.

    `decisions`: row number -> "merge", "skip" or "create" for likely duplicates;
    `shown`: row number -> the existing person the user saw when deciding. A
    merge goes ahead only into that person: if the row now looks like someone
    else, it is skipped. The writing is people.bulk's, which checks again that
    the actor may edit everyone it changes. Returns the counts. Runs in one
    transaction: all of it or nothing.
    """
    new = [record for _number, record in result.new]
    updates = [(person_id, changes) for _n, person_id, changes in result.updates]
    affiliate = set(result.affiliate)
    skipped = []
    shown = shown or {}
    for number, person_id, data, _name in result.likely:
        choice = decisions.get(number, "skip")
        if choice == "merge" and shown.get(number, person_id) != person_id:
            choice = "skip"
        if choice == "create":
            new.append(as_record(data))
        elif choice == "merge":
            changes = {k: data[k] for k in UPDATABLE if data[k] not in ("", None)}
            updates.append((person_id, changes))
            affiliate.add(person_id)
        else:
            skipped.append(number)
    counts = people_bulk_write(
        actor=actor,
        organisation=organisation,
        new=new,
        updates=updates,
        affiliate=affiliate,
        names=result.names,
        progress=progress,
    )
    if progress:
        progress(result.rows)
    return counts | {"unchanged": len(result.unchanged), "skipped": len(skipped)}
