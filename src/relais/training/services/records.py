"""Attendance and test results: one set of rules for every way they come in.

A trainer's phone page, a filled sign-in or score sheet and an import of a
region's records all end in `attendance_bulk_record` or `scores_bulk_record`:
the session must be the actor's to record and not yet closed or cancelled, the
person one of its participants, the day one of its days, the score a number
within the test's range. Presence words and scores are read here and nowhere
else. Both are upserts on their natural key (enrolment and day, enrolment and
test): saving twice, or from two phones, leaves one row, and a line that would
change nothing is not written. A batch goes in whole or not at all, unless the
caller keeps its valid lines; every problem is reported with its line and field.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core import batches, bulk
from relais.core.audit import audit
from relais.core.batches import BatchOutcome
from relais.core.errors import ApplicationError

from ..models import (
    Attendance,
    Enrolment,
    Facilitation,
    Instrument,
    ItemScore,
    Result,
    Session,
)
from ..policies import SessionPolicy

PRESENT_WORDS = {"1", "p", "x", "present", "présent", "oui", "yes", "حاضر", "true"}
# An empty cell of a sign-in sheet is an absence.
ABSENT_WORDS = {"0", "a", "absent", "non", "no", "غائب", "false", ""}
PARTICIPANTS = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.FAILED,
)
CENT = Decimal("0.01")
NOT_RECORDER = SessionPolicy.actions["record"]
FINAL = gettext_lazy("This session is closed: its records are final.")
NOT_PARTICIPANT = gettext_lazy("This person does not take part in the session.")


def participants(session: Session):
    """The people who sit the session: confirmed, then completed or not."""
    return session.enrolments.filter(status__in=PARTICIPANTS).select_related("person")


def parse_presence(value) -> bool:
    """True for present, False for absent; ValueError for anything else."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in PRESENT_WORDS:
        return True
    if text in ABSENT_WORDS:
        return False
    raise ValueError(_("Write 1 (present) or 0 (absent)."))


def parse_score(value, maximum: Decimal) -> Decimal | None:
    """A score from 0 to `maximum`, to the hundredth; None for an empty cell.

    Raises ValueError with the message for the user: not a number (NaN and
    infinities included), or outside the range.
    """
    if isinstance(value, Decimal | int | float):
        text = str(value)
    else:
        text = (value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text[:40]})
    if score < 0 or score > maximum:
        raise ValueError(
            _("%(score)s is outside 0 to %(max)s.")
            % {"score": text[:40], "max": maximum.normalize()}
        )
    # Spreadsheets keep what a formula gives (13.333…): a score keeps two decimals.
    return score.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Mark:
    """One person's presence on one day of a session. `present` is a boolean
    or a cell's text; `row` is the caller's, for messages."""

    row: int
    session_id: int
    person_id: int
    day: datetime.date
    present: bool | str


@dataclass(frozen=True)
class Score:
    """One person's score on one test of a session. `score` is a number or a
    cell's text; None (or an empty cell) clears it. `items` are the post-test's
    questions, scored one by one: {question: (score, maximum)}."""

    row: int
    session_id: int
    person_id: int
    instrument: str
    score: Decimal | str | None
    items: dict | None = None


class _Sessions:
    """The sessions of a batch, checked once each: the actor records them and
    they still take records. Locked when the batch is written, so that a
    session cannot close half-way through it."""

    def __init__(self, actor, ids: set[int], *, lock: bool):
        sessions = Session.objects.filter(pk__in=ids).select_related("programme")
        if lock:
            sessions = sessions.select_for_update(of=("self",)).order_by("pk")
        self.sessions = {s.pk: s for s in sessions}
        self.problems: dict[int, str] = {}
        for session in self.sessions.values():
            if not SessionPolicy.can(actor, "record", session):
                self.problems[session.pk] = NOT_RECORDER
            elif session.status in (Session.Status.CLOSED, Session.Status.CANCELLED):
                self.problems[session.pk] = FINAL
        for missing in ids - self.sessions.keys():
            self.problems[missing] = NOT_RECORDER

    def problem(self, session_id: int) -> str | None:
        return self.problems.get(session_id)


def _enrolments(lines) -> dict[tuple[int, int], int]:
    """(session id, person id) -> enrolment id, for the participants of the
    batch's sessions (a few dozen each: read whole, a chunk of sessions at a
    time)."""
    found = {}
    for chunk in batches.chunks(sorted({line.session_id for line in lines}), 500):
        found.update(
            ((session_id, person_id), pk)
            for pk, session_id, person_id in Enrolment.objects.filter(
                session_id__in=chunk, status__in=PARTICIPANTS
            ).values_list("pk", "session_id", "person_id")
        )
    return found


def _audit_by_session(actor, action: str, sessions: _Sessions, counts: dict) -> None:
    for session_id, details in counts.items():
        audit(actor, action, sessions.sessions[session_id], details=details)


@transaction.atomic
def attendance_bulk_record(
    *, actor, marks: list[Mark], keep_valid: bool = False, write: bool = True
) -> BatchOutcome:
    """Record presences: the rules of the pages, for one mark or a million.

    With `write` false the batch is only checked (a dry run). Nothing is
    written when a mark has a problem, unless `keep_valid`.
    """
    outcome = BatchOutcome(lines=len(marks))
    sessions = _Sessions(actor, {m.session_id for m in marks}, lock=write)
    enrolments = _enrolments(marks)
    recorded = {}
    for chunk in batches.chunks(sorted(set(enrolments.values()))):
        recorded.update(
            ((e, d), p)
            for e, d, p in Attendance.objects.filter(
                enrolment_id__in=chunk
            ).values_list("enrolment_id", "date", "present")
        )
    now = timezone.now()
    seen: dict[tuple, int] = {}
    rows, counted = [], {}
    for index, mark in enumerate(marks):
        message = sessions.problem(mark.session_id)
        if message:
            outcome.problem(index, "session", message)
            continue
        session = sessions.sessions[mark.session_id]
        enrolment = enrolments.get((mark.session_id, mark.person_id))
        if enrolment is None:
            outcome.problem(index, "person", NOT_PARTICIPANT)
            continue
        if mark.day not in session.days:
            outcome.problem(index, "day", _("This day is outside the session's dates."))
            continue
        try:
            present = parse_presence(mark.present)
        except ValueError as error:
            outcome.problem(index, "present", str(error))
            continue
        key = (enrolment, mark.day)
        if key in seen:
            outcome.problem(
                index, "person", _("Same record as row %(row)s.") % {"row": seen[key]}
            )
            continue
        seen[key] = mark.row
        if key not in recorded:
            outcome.new += 1
        elif recorded[key] != present:
            outcome.changed += 1
        else:
            outcome.unchanged += 1
            continue
        rows.append((enrolment, mark.day, present, now))
        days = counted.setdefault(session.pk, {"marks": 0, "days": set()})
        days["marks"] += 1
        days["days"].add(mark.day.isoformat())
    if write and outcome.may_write(keep_valid=keep_valid):
        for chunk in batches.chunks(rows):
            bulk.upsert(
                "training_attendance",
                ["enrolment_id", "date", "present", "recorded_at"],
                ["enrolment_id", "date"],
                chunk,
            )
        for details in counted.values():
            details["days"] = sorted(details["days"])
        _audit_by_session(actor, "attendance.record", sessions, counted)
        outcome.written = True
    return outcome


@transaction.atomic
def scores_bulk_record(
    *, actor, scores: list[Score], keep_valid: bool = False, write: bool = True
) -> BatchOutcome:
    """Record test scores: the rules of the pages, for one score or a million.

    An empty score clears the one recorded. With `write` false the batch is
    only checked. Nothing is written when a line has a problem, unless
    `keep_valid`.
    """
    outcome = BatchOutcome(lines=len(scores))
    sessions = _Sessions(actor, {s.session_id for s in scores}, lock=write)
    enrolments = _enrolments(scores)
    instruments = {
        (i.programme_id, i.kind): i
        for i in Instrument.objects.filter(
            programme__in={s.programme_id for s in sessions.sessions.values()}
        )
    }
    recorded = {}
    for chunk in batches.chunks(sorted(set(enrolments.values()))):
        recorded.update(
            ((e, i), s)
            for e, i, s in Result.objects.filter(enrolment_id__in=chunk).values_list(
                "enrolment_id", "instrument_id", "score"
            )
        )
    now = timezone.now()
    seen: dict[tuple, int] = {}
    rows, cleared, items, counted = [], [], {}, {}
    for index, line in enumerate(scores):
        message = sessions.problem(line.session_id)
        if message:
            outcome.problem(index, "session", message)
            continue
        session = sessions.sessions[line.session_id]
        enrolment = enrolments.get((line.session_id, line.person_id))
        if enrolment is None:
            outcome.problem(index, "person", NOT_PARTICIPANT)
            continue
        instrument = instruments.get((session.programme_id, line.instrument))
        if instrument is None:
            outcome.problem(
                index,
                "instrument",
                _(
                    "Unknown instrument: use pre_test, post_test, practical or "
                    "satisfaction."
                ),
            )
            continue
        try:
            score = parse_score(line.score, instrument.max_score)
        except ValueError as error:
            outcome.problem(index, "score", str(error))
            continue
        if line.items and (
            score is None or instrument.kind != Instrument.Kind.POST_TEST
        ):
            outcome.problem(
                index,
                "items",
                _("Question scores need the post-test score on the same row."),
            )
            continue
        key = (enrolment, instrument.pk)
        if key in seen:
            outcome.problem(
                index, "person", _("Same record as row %(row)s.") % {"row": seen[key]}
            )
            continue
        seen[key] = line.row
        if line.items:
            items[enrolment] = line.items
        if score is None:
            if key not in recorded:
                outcome.unchanged += 1
                continue
            cleared.append(key)
            outcome.changed += 1
        elif key not in recorded or recorded[key] != score:
            if key in recorded:
                outcome.changed += 1
            else:
                outcome.new += 1
            rows.append((enrolment, instrument.pk, score, now))
        else:
            outcome.unchanged += 1
            if not line.items:
                continue
        counted.setdefault(session.pk, {"scores": 0})["scores"] += 1
    if write and outcome.may_write(keep_valid=keep_valid):
        for chunk in batches.chunks(rows):
            bulk.upsert(
                "training_result",
                ["enrolment_id", "instrument_id", "score", "recorded_at"],
                ["enrolment_id", "instrument_id"],
                chunk,
            )
        for enrolment_id, instrument_id in cleared:
            Result.objects.filter(
                enrolment_id=enrolment_id, instrument_id=instrument_id
            ).delete()
        _save_items(items)
        _audit_by_session(actor, "results.record", sessions, counted)
        outcome.written = True
    return outcome


def _save_items(items: dict[int, dict]) -> None:
    """Replace the question scores of the post-tests that were scored by question."""
    if not items:
        return
    post_tests = dict(
        Result.objects.filter(
            enrolment_id__in=items, instrument__kind=Instrument.Kind.POST_TEST
        ).values_list("enrolment_id", "pk")
    )
    ItemScore.objects.filter(result_id__in=post_tests.values()).delete()
    ItemScore.objects.bulk_create(
        ItemScore(result_id=post_tests[enrolment], item=item, score=s, max_score=m)
        for enrolment, questions in items.items()
        for item, (s, m) in questions.items()
    )


# -- The pages: a day's register, a grid of scores, filled sheets ------------------


def _refuse(outcome: BatchOutcome, describe) -> None:
    """Raise the problems of a batch that was refused, each described by the
    caller (which row and cell of its page or sheet)."""
    if outcome.problems:
        # The same rule broken on every line is said once.
        raise ApplicationError(
            list(dict.fromkeys(describe(p) for p in outcome.problems))
        )


def attendance_save(*, actor, session: Session, day: datetime.date, absent: set[int]):
    """Everyone present on `day` except the enrolments listed in `absent`."""
    enrolments = list(participants(session))
    if set(absent) - {e.pk for e in enrolments}:
        raise ApplicationError(_("Some people marked absent are not enrolled here."))
    marks = [
        Mark(0, session.pk, e.person_id, day, e.pk not in absent) for e in enrolments
    ]
    _refuse(attendance_bulk_record(actor=actor, marks=marks), lambda p: p.message)


def _cell(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def _sheet_rows(rows: list[dict], session: Session, errors: list[str]):
    """The sheet's rows with their number and enrolment (None if unknown).

    A sheet belongs to one session, named on every row, and names each
    participant by their enrolment number, as the sheet Relais gives out does.
    """
    by_id = {str(e.pk): e for e in participants(session)}
    for number, row in enumerate(rows, start=2):
        code = row.get("session", "").strip().upper()
        if code != session.code:
            errors.append(
                _cell(
                    number,
                    "session",
                    _("this sheet belongs to session %(code)s, not to %(session)s.")
                    % {"code": code or "—", "session": session.code},
                )
            )
        value = row.get("enrolment", "").strip()
        enrolment = by_id.get(value)
        if enrolment is None:
            errors.append(
                _cell(
                    number,
                    "enrolment",
                    _("“%(value)s” is not a person enrolled in this session.")
                    % {"value": value or "—"},
                )
            )
        yield number, row, enrolment


def attendance_import(*, actor, session: Session, rows: list[dict]) -> int:
    """Import a filled sign-in sheet: one column per day, 1/0 or P/A in the cells.

    Returns the number of attendance marks written; writes nothing on any error.
    """
    errors: list[str] = []
    day_columns = [c for c in (rows[0].keys() if rows else []) if c[:2] in ("19", "20")]
    days = {}
    for column in day_columns:
        try:
            days[column] = datetime.date.fromisoformat(column)
        except ValueError:
            errors.append(_cell(1, column, _("this is not a day (2026-10-12).")))
    if not day_columns:
        errors.append(_("The sheet has no day columns (such as 2026-10-12)."))
    marks, columns = [], []
    for number, row, enrolment in _sheet_rows(rows, session, errors):
        for column, day in days.items():
            if enrolment is not None:
                marks.append(
                    Mark(number, session.pk, enrolment.person_id, day, row[column])
                )
                columns.append(column)
    outcome = attendance_bulk_record(actor=actor, marks=marks, write=not errors)
    errors += [
        _cell(marks[p.line].row, columns[p.line], p.message)
        if p.field in ("day", "present")
        else p.message
        for p in outcome.problems
    ]
    if errors:
        raise ApplicationError(errors)
    return outcome.new + outcome.changed + outcome.unchanged


def results_save(*, actor, session: Session, values: dict[tuple[int, str], str]) -> int:
    """The grid: (enrolment id, instrument kind) -> typed score; an empty cell
    clears the score. All or nothing."""
    by_id = {e.pk: e for e in participants(session)}
    lines, labels = [], []
    for (enrolment_id, kind), value in values.items():
        enrolment = by_id.get(enrolment_id)
        if enrolment is None:
            raise ApplicationError(_("A score names someone who is not enrolled here."))
        lines.append(Score(0, session.pk, enrolment.person_id, kind, value or None))
        test = dict(Instrument.Kind.choices).get(kind, kind)
        labels.append(f"{enrolment.person} — {test}")
    outcome = scores_bulk_record(actor=actor, scores=lines)
    _refuse(
        outcome,
        lambda p: f"{labels[p.line]}: {p.message}" if p.field == "score" else p.message,
    )
    return outcome.new + outcome.changed


# A question of the post-test, scored on its own: "post_test.Q4/4" is question Q4,
# out of 4 points.
ITEM_COLUMN = re.compile(
    r"^post_test\.(?P<item>[\w-]{1,40})/(?P<max>\d+(?:[.,]\d+)?)$", re.IGNORECASE
)


def _item_columns(header) -> dict[str, tuple[str, Decimal]]:
    columns = {}
    for name in header:
        match = ITEM_COLUMN.match(name.strip())
        if match:
            maximum = Decimal(match["max"].replace(",", "."))
            columns[name] = (match["item"].upper(), maximum)
    return columns


def results_import(*, actor, session: Session, rows: list[dict]) -> int:
    """A score sheet: session, enrolment, then one column per instrument kind,
    and optionally one per question of the post-test ("post_test.Q1/4").

    An empty cell leaves the score as it is. Returns the number of scores the
    sheet holds; writes nothing on any error.
    """
    errors: list[str] = []
    header = rows[0].keys() if rows else []
    kinds = [kind for kind in Instrument.Kind.values if kind in header]
    if not kinds:
        errors.append(_("The sheet has no score columns (pre_test, post_test, …)."))
    item_columns = _item_columns(header)
    lines, columns = [], []
    for number, row, enrolment in _sheet_rows(rows, session, errors):
        questions = {}
        for column, (item, maximum) in item_columns.items():
            try:
                score = parse_score(row.get(column, ""), maximum)
            except ValueError as error:
                errors.append(_cell(number, column, str(error)))
                continue
            if score is not None:
                questions[item] = (score, maximum)
        for kind in kinds:
            value = row.get(kind, "").strip()
            has_items = kind == Instrument.Kind.POST_TEST and questions
            if enrolment is None or not (value or has_items):
                continue
            lines.append(
                Score(
                    number,
                    session.pk,
                    enrolment.person_id,
                    kind,
                    value,
                    questions if has_items else None,
                )
            )
            columns.append(kind)
        if questions and Instrument.Kind.POST_TEST not in kinds:
            errors.append(
                _cell(
                    number,
                    next(iter(item_columns)),
                    _("Question scores need the post-test score on the same row."),
                )
            )
    outcome = scores_bulk_record(actor=actor, scores=lines, write=not errors)
    errors += [
        _cell(lines[p.line].row, columns[p.line], p.message)
        if p.field in ("score", "items")
        else p.message
        for p in outcome.problems
    ]
    if errors:
        raise ApplicationError(errors)
    return outcome.new + outcome.changed + outcome.unchanged


@transaction.atomic
def fidelity_record(*, actor, facilitation: Facilitation, percent) -> Facilitation:
    """The observer's fidelity checklist score for a facilitator of the session.

    Final once the session is closed or cancelled, like its other records.
    """
    session = Session.objects.select_for_update().get(pk=facilitation.session_id)
    SessionPolicy.require(actor, "record_fidelity", session)
    if session.status in (Session.Status.CLOSED, Session.Status.CANCELLED):
        raise ApplicationError(FINAL)
    if facilitation.role == Facilitation.Role.OBSERVER:
        raise ApplicationError(_("Observers are not scored."))
    if percent is not None and not (0 <= percent <= 100):
        raise ApplicationError(_("A fidelity score is a percentage, from 0 to 100."))
    facilitation.fidelity_percent = percent
    facilitation.save(update_fields=["fidelity_percent"])
    audit(
        actor, "facilitation.fidelity", facilitation, details={"percent": str(percent)}
    )
    return facilitation


def normalised_gain(pre_percent, post_percent):
    """Hake's normalised gain: the share of the possible progress that was made."""
    if pre_percent is None or post_percent is None or pre_percent >= 100:
        return None
    return (post_percent - pre_percent) / (100 - pre_percent)
