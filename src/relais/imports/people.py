"""Importing people and beneficiaries: check, deduplicate, then upsert in bulk.

The same pass serves the dry run and the commit. Each row's cells are read as
spreadsheets store them (values.py), then checked with the rules of the person
pages (people.bulk.check_details), so that a file and the person form refuse the
same things in the same words. A person is matched on the CIN first (the same CIN
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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from relais.core import batches, protected
from relais.core.names import fold, variants
from relais.core.reconcile import Reference, reference_key
from relais.organisations.models import Organisation
from relais.people.bulk import (
    BIRTH_DATE,
    BIRTH_YEAR,
    CIN,
    DIGEST,
    FIRST,
    LAST,
    RECORD,
    UPDATABLE,
    check_details,
    people_bulk_write,
)
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.people.selectors import affiliable_reference, person_ids_editable
from relais.territory.selectors import territory_reference

from .values import AS_WRITTEN, HOW, read_birth, read_cin, read_phone

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
    "commune",
    "region",
    "organisation",
)
# Places not recognised that the values page lists, the most frequent first.
UNKNOWN_SHOWN = 500
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
    # The names of the existing people matched, for the audit log.
    names: dict[int, str] = field(default_factory=dict)
    # Column by column, how the values were read (Cleaner.column_report).
    columns: list[dict] = field(default_factory=list)
    # Places no one recognised: field -> [{value, rows, suggestion}].
    unknown: dict[str, list[dict]] = field(default_factory=dict)
    # New rows that look like one person written several times (similar names,
    # the same birth date or year, no CIN): the row numbers of each group.
    groups: list[list[int]] = field(default_factory=list)
    # Row number -> the structure the row names, where it names one; the
    # others go into the import's organisation.
    structures: dict[int, int] = field(default_factory=dict)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}


def as_dict(record: tuple) -> dict:
    return dict(zip(RECORD, record, strict=True))


def as_record(data: dict) -> tuple:
    return tuple(data[name] for name in RECORD)


BIRTH = ("birth_date", "birth_year")
# The fields that name a place, from the widest: a region narrows down its
# provinces, a province its communes.
PLACES = ("region", "province", "commune")
# What the import recognises and the user may map: places, and structures.
MAPPED = (*PLACES, "organisation")


class Cleaner:
    """Turns one raw row into a record, and problems with their column.

    Values are read as spreadsheets store them (see values.py); places and
    structures are recognised by code or name (relais.core.reconcile), or by
    what the user mapped them to on an earlier import into the same
    organisation (`known`: (field, key) -> territory or organisation id, or
    None to leave the value blank). A row's structure is one of `structures`,
    those the user may affiliate people to. What is read is counted column by
    column: as written, converted, mapped, refused.
    """

    def __init__(
        self,
        mapping: dict[str, int],
        headers: list[str],
        known: dict[tuple[str, str], int | None] | None = None,
        structures: Reference | None = None,
    ):
        self.mapping = mapping
        self.headers = headers
        self.known = known or {}
        self.places = {
            field: territory_reference(field) for field in PLACES if field in mapping
        }
        if "organisation" in mapping:
            self.places["organisation"] = structures
        # Row number -> the structure it names, where it names one.
        self.structures: dict[int, int] = {}
        self.today = timezone.localdate()
        # Unmapped fields read a cell that rows are padded with, always empty.
        self.width = max([len(headers), *(i + 1 for i in mapping.values())])
        self.cells = itemgetter(*(mapping.get(name, self.width) for name in FIELDS))
        self.columns = {name: headers[i] for name, i in mapping.items()}
        self.dates: dict[str, tuple] = {}
        self.sexes: dict[str, str] = {}
        self.shared: dict[str, str] = {}
        self.found: dict[tuple, tuple] = {}
        self.digest = protected.digester()
        # Per field: how many cells held something, and how they were read.
        self.filled = [0] * len(FIELDS)
        self.how: dict[str, Counter] = {name: Counter() for name in FIELDS}
        # Values no one recognised, with the number of rows that name them.
        self.unknown: dict[str, Counter] = {name: Counter() for name in MAPPED}

    def _birth(self, raw: str) -> tuple:
        """(date, year, how, message) for a birth cell; remembered by its text."""
        found = self.dates.get(raw)
        if found is None:
            try:
                found = (*read_birth(raw, self.today), None)
            except ValueError as error:
                found = (None, None, None, str(error))
            if len(self.dates) >= MEMO_SIZE:
                self.dates.clear()
            self.dates[raw] = found
        return found

    def _place(self, field: str, raw: str, within: str) -> tuple:
        """(territory id or None, how) for a place cell; remembered."""
        memo = (field, raw, within)
        found = self.found.get(memo)
        if found is None:
            key = (field, reference_key(raw))
            if key in self.known:
                target = self.known[key]
                found = (target, "mapped" if target else "left_blank")
            else:
                found = self.places[field].find(raw, within)
            self.found[memo] = found
        return found

    def clean(self, number: int, row: list[str]) -> tuple[tuple, list[Problem]]:
        """The record of a row (partial when there are problems) and its problems."""
        problems: list[Problem] = []
        columns, how = self.columns, self.how

        def problem(name, message):
            how[name]["refused"] += 1
            problems.append(Problem(number, columns.get(name, name), message))

        width = self.width
        if len(row) <= width:
            row = [*row, *[""] * (width + 1 - len(row))]
        else:  # cells past the header are not read
            row = [*row[:width], ""]
        values = tuple(map(str.strip, self.cells(row)))
        filled = self.filled
        for index, value in enumerate(values):
            if value:
                filled[index] += 1
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
            raw_province,
            raw_commune,
            raw_region,
            raw_structure,
        ) = values
        # Cells are read as spreadsheets store them, then checked with the rules
        # of the person pages (people.bulk.check_details). `converted`: field ->
        # how its cell was converted, counted once the value passes the rules.
        converted = {}
        if sex:
            read_sex = self.sexes.get(sex)
            if read_sex is None:
                read_sex = self.sexes[sex] = SEXES.get(fold(sex), sex)
            sex = read_sex
        birth_date = birth_year = None
        birth_column = "birth_date"  # the column the birth was read from
        for name, raw in (("birth_date", raw_date), ("birth_year", raw_year)):
            if raw and birth_year is None:
                birth_date, birth_year, way, message = self._birth(raw)
                if message:
                    problem(name, message)
                    continue
                birth_column = name
                if way != AS_WRITTEN:
                    converted[name] = way
        cin = phone = ""
        if raw_cin:
            cin, way = read_cin(raw_cin)
            if way != AS_WRITTEN:
                converted["cin"] = way
        if raw_phone:
            phone, way = read_phone(raw_phone)
            if way != AS_WRITTEN:
                converted["phone"] = way
        details = {
            "first_name": first_name,
            "last_name": last_name,
            "first_name_ar": first_name_ar,
            "last_name_ar": last_name_ar,
            "sex": sex,
            "birth_date": birth_date,
            "birth_year": birth_year,
            "phone": phone,
            "email": email,
            "cin": cin,
        }
        for name, message in check_details(details, self.today).items():
            if name in BIRTH:
                name = birth_column
                details.update(birth_date=None, birth_year=None)
            else:
                details[name] = ""
            problem(name, message)
            converted.pop(name, None)
        for name, way in converted.items():
            how[name][way] += 1
        cin = details["cin"]
        digest = self.digest(cin) if cin else None
        residence_id, within = None, ""
        for name, raw in (
            ("region", raw_region),
            ("province", raw_province),
            ("commune", raw_commune),
        ):
            if not raw:
                continue
            place, read = self._place(name, raw, within)
            if read:
                how[name][read] += 1
            if place is None and read != "left_blank":
                self.unknown[name][raw] += 1
                problem(
                    name,
                    _(
                        "Relais does not know “%(value)s” here: say which it is on "
                        "the places page, or correct the file."
                    )
                    % {"value": raw},
                )
            elif place is not None:
                within = self.places[name].paths[place]
                if name != "region":
                    residence_id = place
        if raw_structure:
            structure, read = self._place("organisation", raw_structure, "")
            if read:
                how["organisation"][read] += 1
            if structure is not None:
                self.structures[number] = structure
            elif read != "left_blank":
                self.unknown["organisation"][raw_structure] += 1
                problem(
                    "organisation",
                    _(
                        "“%(value)s” is no structure you may add people to: say "
                        "which it is on the places page, or correct the file."
                    )
                    % {"value": raw_structure},
                )
        # The same first name in a thousand rows is kept once.
        shared = self.shared.setdefault
        record = (
            shared(first_name, first_name),
            shared(last_name, last_name),
            shared(first_name_ar, first_name_ar),
            shared(last_name_ar, last_name_ar),
            details["sex"],
            details["birth_date"],
            details["birth_year"],
            details["phone"],
            details["email"],
            residence_id,
            cin,
            digest,
        )
        return record, problems

    def clean_chunk(self, chunk: list[tuple[int, list[str]]]) -> tuple[list, ...]:
        """The numbers, records and problems (None for none) of a chunk of rows."""
        if len(self.shared) >= MEMO_SIZE:
            self.shared.clear()
        if len(self.found) >= MEMO_SIZE:
            self.found.clear()
        clean = self.clean
        numbers, records, problems = [], [], []
        for number, row in chunk:
            record, found = clean(number, row)
            numbers.append(number)
            records.append(record)
            problems.append(found or None)
        return numbers, records, problems

    def column_report(self) -> list[dict]:
        """For each column read, how its values were: as written, converted
        (and how), mapped, or refused."""
        report = []
        for index, name in enumerate(FIELDS):
            if name not in self.columns:
                continue
            counts = self.how[name]
            refused = counts.pop("refused", 0)
            mapped = counts.pop("mapped", 0) + counts.pop("left_blank", 0)
            counts.pop("code", None)  # a code is the value as written
            converted = {str(HOW[key]): n for key, n in sorted(counts.items())}
            report.append(
                {
                    "field": name,
                    "column": self.columns[name],
                    "filled": self.filled[index],
                    "as_written": self.filled[index]
                    - refused
                    - mapped
                    - sum(converted.values()),
                    "converted": converted,
                    "mapped": mapped,
                    "refused": refused,
                }
            )
        return report

    def unknown_places(self) -> dict[str, list[dict]]:
        """Each unrecognised place once, with its rows and a suggestion."""
        return {
            name: [
                {
                    "value": value,
                    "rows": rows,
                    "suggestion": self._suggestion(name, value),
                }
                for value, rows in counter.most_common(UNKNOWN_SHOWN)
            ]
            for name, counter in self.unknown.items()
            if counter
        }

    def _suggestion(self, name: str, value: str) -> int | None:
        return self.places[name].suggest(value)


def _record_exact_key(record: tuple) -> tuple:
    return (
        fold(f"{record[FIRST]} {record[LAST]}"),
        record[BIRTH_DATE] or record[BIRTH_YEAR],
    )


@lru_cache(maxsize=65536)
def _name_likely_key(first_name: str, last_name: str) -> str:
    return max(variants(f"{first_name} {last_name}") or {""}, key=len)


def _checked(rows, cleaner: Cleaner, result: Plan, heartbeat=None, first_row=2):
    """Chunks of (numbers, records, problems) for the non-empty rows, in order;
    rows are numbered as in the spreadsheet, from `first_row`."""
    chunk: list[tuple[int, list[str]]] = []
    for number, row in enumerate(rows, start=first_row):
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
        return Person.objects.filter(PersonPolicy.where(self.actor, "edit"))


def plan(
    rows,
    mapping: dict[str, int],
    headers: list[str],
    *,
    actor,
    known=None,
    first_row: int = 2,
    heartbeat=None,
) -> Plan:
    """Read every row, check it, and decide what would happen to it, for `actor`.

    `known`: the places mapped on earlier imports (see Cleaner); `first_row`:
    the spreadsheet's number of the first row after the header; `heartbeat`,
    if given, is called every HEARTBEAT_ROWS rows.
    """
    structures = affiliable_reference(actor) if "organisation" in mapping else None
    cleaner = Cleaner(mapping, headers, known, structures)
    result = Plan()
    cleaned: list[tuple[int, tuple]] = []
    seen_cin: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    cin_column = headers[mapping["cin"]] if "cin" in mapping else "cin"
    first_cin, first_key = seen_cin.setdefault, seen_key.setdefault
    keep, report = cleaned.append, result.problems.extend
    checked = _checked(rows, cleaner, result, heartbeat, first_row)
    for numbers, records, found in checked:
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
    result.columns = cleaner.column_report()
    result.unknown = cleaner.unknown_places()
    result.structures = cleaner.structures
    _match(cleaned, result, Reach(actor), cin_column)
    result.groups = _likely_groups(result.new)
    return result


def _likely_groups(new: list[tuple[int, tuple]]) -> list[list[int]]:
    """Rows of the file that likely are one person: the same rule as against
    the database (names close in either script, the same birth date), among
    new rows without a CIN (two CINs are two people).

    Rows are compared within their birth date, a few dozen at most; rows with
    only a birth year, within the year and the same consonant skeleton of the
    name, so that a file of 500,000 is never compared row with row.
    """
    buckets: dict = defaultdict(list)
    for number, record in new:
        if record[CIN] or not record[FIRST]:
            continue
        key = _name_likely_key(record[FIRST], record[LAST])
        if record[BIRTH_DATE]:
            buckets[record[BIRTH_DATE]].append((number, key))
        elif record[BIRTH_YEAR]:
            buckets[(record[BIRTH_YEAR], key)].append((number, key))
    groups = []
    for rows in buckets.values():
        if len(rows) < 2:
            continue
        clusters: list[tuple[str, list[int]]] = []
        for number, key in rows:
            for first, members in clusters:
                if fuzz.ratio(first, key) >= LIKELY_SCORE:
                    members.append(number)
                    break
            else:
                clusters.append((key, [number]))
        groups += [members for _key, members in clusters if len(members) > 1]
    return sorted(groups)


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
    apart: set[int] | None = None,
    progress=None,
):
    """Apply a plan: insert the new, update the changed, affiliate everyone to
    the structure their row names, or else to `organisation`.

    `decisions`: row number -> "merge", "skip" or "create" for likely duplicates;
    `shown`: row number -> the existing person the user saw when deciding. A
    merge goes ahead only into that person: if the row now looks like someone
    else, it is skipped. A group of rows that look like one person becomes one
    person, unless its first row is in `apart` (they are several people). The
    writing is people.bulk's, which checks again that the actor may edit
    everyone it changes and affiliate to each structure. Returns the counts.
    Runs in one transaction: all of it or nothing.
    """
    records = dict(result.new)
    joined = 0
    for members in result.groups:
        if members[0] not in (apart or ()):
            records[members[0]] = _joined([records.pop(n) for n in members])
            joined += len(members) - 1
    homes = defaultdict(lambda: {"new": [], "updates": [], "affiliate": set()})

    def home(number: int) -> dict:
        return homes[result.structures.get(number, organisation.pk)]

    for number, record in records.items():
        home(number)["new"].append(record)
    for number, person_id, changes in result.updates:
        home(number)["updates"].append((person_id, changes))
        home(number)["affiliate"].add(person_id)
    for number, person_id in result.unchanged:
        home(number)["affiliate"].add(person_id)
    skipped = []
    shown = shown or {}
    for number, person_id, data, _name in result.likely:
        choice = decisions.get(number, "skip")
        if choice == "merge" and shown.get(number, person_id) != person_id:
            choice = "skip"
        if choice == "create":
            home(number)["new"].append(as_record(data))
        elif choice == "merge":
            changes = {k: data[k] for k in UPDATABLE if data[k] not in ("", None)}
            home(number)["updates"].append((person_id, changes))
            home(number)["affiliate"].add(person_id)
        else:
            skipped.append(number)
    structures = Organisation.objects.in_bulk(list(homes))
    counts = Counter(inserted=0, updated=0)
    for structure_id, rows in homes.items():
        written = counts["inserted"]
        counts.update(
            people_bulk_write(
                actor=actor,
                organisation=structures[structure_id],
                **rows,
                names=result.names,
                progress=progress and (lambda done, w=written: progress(w + done)),
            )
        )
    if progress:
        progress(result.rows)
    return dict(counts) | {
        "unchanged": len(result.unchanged),
        "skipped": len(skipped),
        "joined": joined,
    }


def _joined(records: list[tuple]) -> tuple:
    """One person from the rows that write them several times: the first row,
    its empty fields filled from the next ones."""
    return tuple(
        next((r[i] for r in records if r[i] not in ("", None)), records[0][i])
        for i in range(len(RECORD))
    )
