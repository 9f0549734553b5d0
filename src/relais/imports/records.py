"""Importing the cascade's records across sessions: enrolments, attendance, scores.

Each row names a session by its code and a person by their CIN. The checks are
those of a trainer's sheet, at national scale: the session must be within the
importer's reach, the person must exist (and, for attendance and scores, be
enrolled), days must fall within the session and scores within the instrument's
maximum. Rows are upserted on their natural key, in one transaction; a row that
would change nothing is not written, so the same file imported twice changes
nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core import bulk, protected
from relais.core.validators import normalise_cin
from relais.people.models import Person
from relais.training.models import (
    Attendance,
    Enrolment,
    Instrument,
    Result,
    Session,
)
from relais.training.policies import SessionPolicy

from .people import Problem, _date

PRESENT = {"1", "p", "x", "present", "présent", "oui", "yes", "حاضر"}
ABSENT = {"0", "a", "absent", "non", "no", "غائب"}
HEARTBEAT_ROWS = 10_000


@dataclass
class RecordPlan:
    """What an import of records would do: rows to insert, to change, left alone.

    `new` and `changed` hold the rows to write, in the order of TABLES' columns.
    """

    rows: int = 0
    new: list[tuple] = field(default_factory=list)
    changed: list[tuple] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def ready(self) -> list[tuple]:
        return self.new + self.changed


def _recorded(kind: str, codes: set[str]) -> dict:
    """The attendance or scores the file's sessions already hold, by natural key."""
    if kind == "attendance":
        return {
            (e, d): present
            for e, d, present in Attendance.objects.filter(
                enrolment__session__code__in=codes
            ).values_list("enrolment_id", "date", "present")
        }
    return {
        (e, i): score
        for e, i, score in Result.objects.filter(
            enrolment__session__code__in=codes
        ).values_list("enrolment_id", "instrument_id", "score")
    }


def plan_records(
    kind: str, rows, headers, *, actor, mapping: dict[str, int], heartbeat=None
) -> RecordPlan:
    """Check every row and say what writing the file would change; writes nothing.

    `mapping` is field -> column index; `heartbeat`, if given, is called every
    so many rows: the worker is alive.
    """
    plan = RecordPlan()
    raw = []
    for number, row in enumerate(rows, start=2):
        if heartbeat and number % HEARTBEAT_ROWS == 0:
            heartbeat()
        if not any(c.strip() for c in row):
            continue
        plan.rows += 1
        raw.append(
            (
                number,
                [row[i].strip() if i < len(row) else "" for i in range(len(headers))],
            )
        )
    codes = {r[mapping["session"]].upper() for _, r in raw}
    sessions = {
        s.code: s
        for s in Session.objects.filter(code__in=codes).select_related("programme")
    }
    # A person has many rows (a day each, a score each): digested once.
    digest = protected.digester()
    digests = {}
    for _number, r in raw:
        cin = r[mapping["cin"]]
        if cin in digests:
            continue
        try:
            digests[cin] = digest(normalise_cin(cin))
        except ValidationError:  # reported as an unknown CIN below
            digests[cin] = None
    people = {}
    for chunk in bulk.chunks([d for d in digests.values() if d]):
        people.update(
            Person.objects.filter(cin_digest__in=chunk).values_list("cin_digest", "pk")
        )
    enrolments = {
        (s, p): e
        for e, s, p in Enrolment.objects.filter(session__code__in=codes).values_list(
            "pk", "session__code", "person_id"
        )
    }
    instruments = {
        (programme, kind_): (pk, maximum)
        for pk, programme, kind_, maximum in Instrument.objects.values_list(
            "pk", "programme_id", "kind", "max_score"
        )
    }
    # An existing enrolment is left as it is: it has nothing the file could change.
    recorded = (
        dict.fromkeys(enrolments) if kind == "enrolments" else _recorded(kind, codes)
    )
    allowed: dict[str, bool] = {}
    seen: dict[tuple, int] = {}
    now = timezone.now()
    for number, r in raw:

        def problem(column, message, number=number):
            plan.problems.append(Problem(number, headers[mapping[column]], message))

        session = sessions.get(r[mapping["session"]].upper())
        if session is None:
            problem("session", _("No session has this code."))
            continue
        if session.code not in allowed:
            allowed[session.code] = (
                SessionPolicy.can_manage(actor, session)
                if kind == "enrolments"
                else SessionPolicy.can_record(actor, session)
            )
        if not allowed[session.code]:
            problem("session", _("This session is not yours to update."))
            continue
        person = people.get(digests.get(r[mapping["cin"]]))
        if person is None:
            problem("cin", _("No person has this CIN."))
            continue
        if kind == "enrolments":
            key, value = (session.code, person), None
            row = (now, now, session.pk, person, "confirmed", "{}")
        else:
            enrolment = enrolments.get((session.code, person))
            if enrolment is None:
                problem("cin", _("This person is not enrolled in the session."))
                continue
            if kind == "attendance":
                try:
                    day = _date(r[mapping["date"]])
                except ValueError:
                    problem("date", _("This is not a date."))
                    continue
                if day not in session.days:
                    problem("date", _("This day is outside the session's dates."))
                    continue
                value = r[mapping["present"]].lower()
                if value not in PRESENT | ABSENT:
                    problem("present", _("Write 1 (present) or 0 (absent)."))
                    continue
                key, value = (enrolment, day), value in PRESENT
            else:
                found = instruments.get(
                    (session.programme_id, r[mapping["instrument"]])
                )
                if found is None:
                    problem(
                        "instrument",
                        _(
                            "Unknown instrument: use pre_test, post_test, "
                            "practical or satisfaction."
                        ),
                    )
                    continue
                try:
                    value = Decimal(r[mapping["score"]].replace(",", "."))
                except InvalidOperation:
                    problem("score", _("This is not a number."))
                    continue
                if not 0 <= value <= found[1]:
                    problem("score", _("The score is outside 0 to the maximum."))
                    continue
                key = (enrolment, found[0])
            row = (*key, value, now)
        if key in seen:
            # Two rows for one record: which one holds is not ours to guess.
            problem("cin", _("Same record as row %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = number
        if key not in recorded:
            plan.new.append(row)
        elif recorded[key] != value:
            plan.changed.append(row)
        else:
            plan.unchanged += 1
    return plan


TABLES = {
    "enrolments": (
        "training_enrolment",
        ["created_at", "updated_at", "session_id", "person_id", "status", "outcome"],
        ["session_id", "person_id"],
    ),
    "attendance": (
        "training_attendance",
        ["enrolment_id", "date", "present", "recorded_at"],
        ["enrolment_id", "date"],
    ),
    "scores": (
        "training_result",
        ["enrolment_id", "instrument_id", "score", "recorded_at"],
        ["enrolment_id", "instrument_id"],
    ),
}


WRITE_CHUNK = 5_000


@transaction.atomic
def write_records(kind: str, plan: RecordPlan, progress=None) -> dict:
    """Insert the new records and change the changed ones, in one transaction.

    `progress`, if given, is called with the number of rows written so far.
    """
    table, columns, keys = TABLES[kind]
    # A new enrolment is confirmed; an existing one keeps its status and history.
    update = [] if kind == "enrolments" else None
    done = 0
    for chunk in bulk.chunks(plan.ready, WRITE_CHUNK):
        done += bulk.upsert(table, columns, keys, chunk, update=update)
        if progress:
            progress(done)
    return {
        "inserted": len(plan.new),
        "updated": len(plan.changed),
        "unchanged": plan.unchanged,
    }
