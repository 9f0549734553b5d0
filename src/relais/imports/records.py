"""Importing the cascade's records across sessions: enrolments, attendance, scores.

Each row names a session by its code and a person by their CIN. The checks are
those of a trainer's sheet, at national scale: the session must be within the
importer's reach, the person must exist (and, for attendance and scores, be
enrolled), days must fall within the session and scores within the instrument's
maximum. Rows are upserted on their natural key, in one transaction.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core import bulk, protected
from relais.core.errors import ApplicationError
from relais.core.validators import normalise_cin
from relais.people.models import Person
from relais.training.models import Enrolment, Instrument, Session
from relais.training.policies import SessionPolicy

from .people import Plan, Problem, _date

PRESENT = {"1", "p", "x", "present", "présent", "oui", "yes", "حاضر"}
ABSENT = {"0", "a", "absent", "non", "no", "غائب"}
COLUMNS = {
    "session": ["session", "code session", "الدورة"],
    "cin": ["cin", "cnie", "رقم البطاقة الوطنية"],
    "date": ["date", "jour", "day", "التاريخ", "اليوم"],
    "present": ["present", "présent", "presence", "présence", "attendance", "الحضور"],
    "instrument": ["instrument", "test", "épreuve", "epreuve", "الاختبار"],
    "score": ["score", "note", "النقطة"],
}
NEEDED = {
    "enrolments": ("session", "cin"),
    "attendance": ("session", "cin", "date", "present"),
    "scores": ("session", "cin", "instrument", "score"),
}


def columns_of(headers: list[str], kind: str) -> dict[str, int]:
    wanted = {h.strip().lower(): i for i, h in enumerate(headers)}
    found = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in wanted:
                found[name] = wanted[spelling]
                break
    missing = [name for name in NEEDED[kind] if name not in found]
    if missing:
        raise ApplicationError(
            _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return found


def plan_records(kind: str, rows, headers, *, actor) -> tuple[Plan, list[tuple]]:
    """Check every row; returns the plan (with problems) and the rows to write."""
    index = columns_of(headers, kind)
    plan, ready = Plan(), []
    raw = []
    for number, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        plan.rows += 1
        raw.append(
            (
                number,
                [row[i].strip() if i < len(row) else "" for i in range(len(headers))],
            )
        )
    codes = {r[index["session"]].upper() for _, r in raw}
    sessions = {
        s.code: s
        for s in Session.objects.filter(code__in=codes).select_related("programme")
    }
    digests = {}
    for _number, r in raw:
        try:
            digests[r[index["cin"]]] = protected.digest(normalise_cin(r[index["cin"]]))
        except ValidationError:  # reported as an unknown CIN below
            digests[r[index["cin"]]] = None
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
    allowed: dict[str, bool] = {}
    now = timezone.now()
    for number, r in raw:

        def problem(column, message, number=number):
            plan.problems.append(Problem(number, headers[index[column]], message))

        session = sessions.get(r[index["session"]].upper())
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
        person = people.get(digests.get(r[index["cin"]]))
        if person is None:
            problem("cin", _("No person has this CIN."))
            continue
        if kind == "enrolments":
            ready.append((now, now, session.pk, person, "confirmed", "{}"))
            continue
        enrolment = enrolments.get((session.code, person))
        if enrolment is None:
            problem("cin", _("This person is not enrolled in the session."))
            continue
        if kind == "attendance":
            try:
                day = _date(r[index["date"]])
            except ValueError:
                problem("date", _("This is not a date."))
                continue
            if day not in session.days:
                problem("date", _("This day is outside the session's dates."))
                continue
            value = r[index["present"]].lower()
            if value not in PRESENT | ABSENT:
                problem("present", _("Write 1 (present) or 0 (absent)."))
                continue
            ready.append((enrolment, day, value in PRESENT, now))
        else:
            found = instruments.get((session.programme_id, r[index["instrument"]]))
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
                score = Decimal(r[index["score"]].replace(",", "."))
            except InvalidOperation:
                problem("score", _("This is not a number."))
                continue
            if not 0 <= score <= found[1]:
                problem("score", _("The score is outside 0 to the maximum."))
                continue
            ready.append((enrolment, found[0], score, now))
    return plan, ready


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


@transaction.atomic
def write_records(kind: str, ready: list[tuple]) -> int:
    table, columns, keys = TABLES[kind]
    # A new enrolment is confirmed; an existing one keeps its status and history.
    update = [] if kind == "enrolments" else None
    return bulk.upsert(table, columns, keys, ready, update=update)
