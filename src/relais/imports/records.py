"""Importing the cascade's records across sessions: enrolments, attendance, scores.

Each row names a session by its code and a person by their CIN. This module
only reads the file and finds what the rows name; the rules are the training
services' (`enrolments_bulk_create`, `attendance_bulk_record`,
`scores_bulk_record`), the same ones the session pages call: scope, open
sessions, capacity and the waiting list, approval, overlaps, closed sessions,
days and score ranges. The dry run asks them to check the rows; the commit asks
them again, as the user who commits, to write.

What a row may name is cut to the importer's reach, and what lies outside it
reads as unknown: a session the importer cannot see, a person they may not
enrol, someone who does not take part in the session.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from relais.core import batches, protected
from relais.core.batches import BatchOutcome
from relais.core.errors import ApplicationError
from relais.core.roles import Permission
from relais.core.validators import normalise_cin
from relais.people.models import Person
from relais.people.policies import people_in_scope
from relais.training import services
from relais.training.models import Enrolment, Session
from relais.training.policies import SessionPolicy
from relais.training.services import EnrolmentRequest, enrolments_bulk_create

from .people import Problem
from .values import read_date

HEARTBEAT_ROWS = 10_000
# The field of a line a training service names -> the import's field.
FIELDS = {
    "session": "session",
    "person": "cin",
    "day": "date",
    "present": "present",
    "instrument": "instrument",
    "score": "score",
    "items": "score",
}


@dataclass
class RecordPlan:
    """What an import of records would do, and the lines to hand the service."""

    kind: str
    headers: list[str]
    mapping: dict[str, int]
    rows: int = 0
    lines: list = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    # What new and changed enrolments become: confirmed, wait-listed, registered.
    statuses: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    # The rows that name nothing the importer may reach, or cannot be read.
    unread: list[Problem] = field(default_factory=list)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    def counts(self) -> dict:
        return {
            "new": self.new,
            "update": self.changed,
            "unchanged": self.unchanged,
            **self.statuses,
        }


def _rows(rows, headers, plan, heartbeat, first_row):
    for number, row in enumerate(rows, start=first_row):
        if heartbeat and number % HEARTBEAT_ROWS == 0:
            heartbeat()
        if not any(c.strip() for c in row):
            continue
        plan.rows += 1
        yield (
            number,
            [row[i].strip() if i < len(row) else "" for i in range(len(headers))],
        )


def _digests(cins) -> dict[str, str | None]:
    """Each CIN of the file digested once (a person has a row per day or test)."""
    digest = protected.digester()
    found = {}
    for cin in cins:
        try:
            found[cin] = digest(normalise_cin(cin))
        except ValidationError:  # reads as unknown
            found[cin] = None
    return found


def _enrollable(actor, digests) -> dict[str, int]:
    """digest -> person id, for the people the actor may enrol."""
    people = {}
    for chunk in batches.chunks(sorted(d for d in digests if d)):
        people.update(
            Person.objects.filter(
                people_in_scope(actor, Permission.ENROLMENT_MANAGE),
                cin_digest__in=chunk,
            ).values_list("cin_digest", "pk")
        )
    return people


def _participants(sessions) -> dict[tuple[int, str], int]:
    """(session id, digest) -> person id, for the participants of the sessions."""
    people = {}
    for chunk in batches.chunks(sorted(s.pk for s in sessions), 500):
        people.update(
            ((session_id, digest), person_id)
            for session_id, digest, person_id in Enrolment.objects.filter(
                session_id__in=chunk,
                status__in=services.PARTICIPANTS,
                person__cin_digest__isnull=False,
            ).values_list("session_id", "person__cin_digest", "person_id")
        )
    return people


def plan_records(
    kind: str,
    rows,
    headers,
    *,
    actor,
    mapping: dict[str, int],
    first_row: int = 2,
    heartbeat=None,
) -> RecordPlan:
    """Check every row and say what writing the file would change; writes nothing.

    `mapping` is field -> column index; `first_row` the spreadsheet's number of
    the first row; `heartbeat`, if given, is called every so many rows: the
    worker is alive.
    """
    plan = RecordPlan(kind, headers=headers, mapping=mapping)
    raw = list(_rows(rows, headers, plan, heartbeat, first_row))
    codes = {r[mapping["session"]].upper() for _n, r in raw}
    sessions = {}
    for chunk in batches.chunks(sorted(codes)):
        sessions.update(
            (s.code, s)
            for s in Session.objects.filter(
                SessionPolicy.readable(actor), code__in=chunk
            )
        )
    digests = _digests({r[mapping["cin"]] for _n, r in raw})
    if kind == "enrolments":
        enrollable = _enrollable(actor, digests.values())
    else:
        participants = _participants(sessions.values())
    lines = []
    for number, r in raw:

        def problem(name, message, number=number):
            plan.unread.append(Problem(number, headers[mapping[name]], message))

        session = sessions.get(r[mapping["session"]].upper())
        if session is None:
            problem("session", _("None of your sessions has this code."))
            continue
        digest = digests[r[mapping["cin"]]]
        if kind == "enrolments":
            person = enrollable.get(digest)
            if person is None:
                problem("cin", _("No one you may enrol has this CIN."))
                continue
            lines.append(EnrolmentRequest(number, session.pk, person))
        else:
            person = participants.get((session.pk, digest))
            if person is None:
                problem("cin", _("No participant of this session has this CIN."))
                continue
            if kind == "attendance":
                try:
                    day = read_date(r[mapping["date"]])
                except ValueError:
                    problem("date", _("This is not a date."))
                    continue
                lines.append(
                    services.Mark(
                        number, session.pk, person, day, r[mapping["present"]]
                    )
                )
            else:
                lines.append(
                    services.Score(
                        number,
                        session.pk,
                        person,
                        r[mapping["instrument"]],
                        r[mapping["score"]],
                    )
                )
    plan.lines = lines
    _take(plan, _apply(kind, actor, lines, write=False, keep_valid=False))
    return plan


def _apply(kind: str, actor, lines, *, write: bool, keep_valid: bool):
    if kind == "enrolments":
        return enrolments_bulk_create(
            actor=actor, requests=lines, write=write, keep_valid=keep_valid
        )
    if kind == "attendance":
        return services.attendance_bulk_record(
            actor=actor, marks=lines, write=write, keep_valid=keep_valid
        )
    return services.scores_bulk_record(
        actor=actor, scores=lines, write=write, keep_valid=keep_valid
    )


def _take(plan: RecordPlan, outcome: BatchOutcome) -> None:
    """The counts and problems of a service's outcome, by row and column."""
    plan.new, plan.changed = outcome.new, outcome.changed
    plan.unchanged, plan.statuses = outcome.unchanged, outcome.statuses
    plan.problems = sorted(
        plan.unread
        + [
            Problem(
                plan.lines[p.line].row,
                plan.headers[plan.mapping[FIELDS[p.field]]],
                p.message,
            )
            for p in outcome.problems
        ],
        key=lambda p: p.row,
    )


def write_records(plan: RecordPlan, *, actor, skip_invalid: bool) -> dict:
    """Write the plan's lines through the training services, as `actor`.

    The services check every line again under lock (a session may have closed
    or filled since the dry run) and write all of them, or with `skip_invalid`
    the valid ones. The plan's problems become those found now.
    """
    outcome = _apply(plan.kind, actor, plan.lines, write=True, keep_valid=skip_invalid)
    _take(plan, outcome)
    if not outcome.written:
        raise ApplicationError(
            _("%(count)s problems in the file: nothing was imported.")
            % {"count": len(plan.problems)}
        )
    return {
        "inserted": outcome.new,
        "updated": outcome.changed,
        "unchanged": outcome.unchanged,
        **outcome.statuses,
    }
