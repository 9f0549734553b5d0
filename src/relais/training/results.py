"""Attendance and test results: entered on a page or imported from a sheet.

Both are upserts on their natural key (enrolment and day, enrolment and
instrument): saving twice, or from two phones, leaves one row. A sheet goes in
whole or not at all, and every problem is reported with its row and column.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError

from .models import (
    Attendance,
    Enrolment,
    Facilitation,
    Instrument,
    ItemScore,
    Result,
    Session,
)
from .policies import SessionPolicy

PRESENT_WORDS = {"1", "p", "x", "present", "présent", "oui", "yes", "حاضر", "true"}
ABSENT_WORDS = {"0", "a", "absent", "non", "no", "غائب", "false", ""}


def participants(session: Session):
    """The people who sit the session: confirmed, then completed or not."""
    return session.enrolments.filter(
        status__in=[
            Enrolment.Status.CONFIRMED,
            Enrolment.Status.COMPLETED,
            Enrolment.Status.FAILED,
        ]
    ).select_related("person")


def _require_recorder(actor, session: Session) -> None:
    if not SessionPolicy.can_record(actor, session):
        raise ApplicationError(_("Only the session's trainers record its results."))
    if session.status in (Session.Status.CLOSED, Session.Status.CANCELLED):
        raise ApplicationError(_("This session is closed: its records are final."))


def _upsert_attendance(rows: list[Attendance]) -> None:
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["enrolment", "date"],
        update_fields=["present", "recorded_at"],
    )


@transaction.atomic
def attendance_save(*, actor, session: Session, day: datetime.date, absent: set[int]):
    """Everyone present on `day` except the enrolments listed in `absent`."""
    _require_recorder(actor, session)
    if day not in session.days:
        raise ApplicationError(_("This day is not one of the session's days."))
    enrolments = list(participants(session))
    unknown = set(absent) - {e.pk for e in enrolments}
    if unknown:
        raise ApplicationError(_("Some people marked absent are not enrolled here."))
    now = timezone.now()
    _upsert_attendance(
        [
            Attendance(
                enrolment=e, date=day, present=e.pk not in absent, recorded_at=now
            )
            for e in enrolments
        ]
    )
    audit(
        actor,
        "attendance.save",
        session,
        details={"day": day.isoformat(), "absent": len(absent)},
    )


def _row_error(errors, row_number, column, message):
    errors.append(
        _("Row %(row)s, column “%(column)s”: %(message)s")
        % {"row": row_number, "column": column, "message": message}
    )


def _check_session_column(rows, session, errors):
    for number, row in enumerate(rows, start=2):
        code = row.get("session", "").strip().upper()
        if code != session.code:
            _row_error(
                errors,
                number,
                "session",
                _("this sheet belongs to session %(code)s, not to %(session)s.")
                % {"code": code or "—", "session": session.code},
            )


def _enrolment_of(row, number, by_id, errors):
    value = row.get("enrolment", "").strip()
    enrolment = by_id.get(value)
    if enrolment is None:
        _row_error(
            errors,
            number,
            "enrolment",
            _("“%(value)s” is not a person enrolled in this session.")
            % {"value": value or "—"},
        )
    return enrolment


@transaction.atomic
def attendance_import(*, actor, session: Session, rows: list[dict]) -> int:
    """Import a filled sign-in sheet: one column per day, 1/0 or P/A in the cells.

    Returns the number of attendance marks written; writes nothing on any error.
    """
    _require_recorder(actor, session)
    errors: list[str] = []
    _check_session_column(rows, session, errors)
    by_id = {str(e.pk): e for e in participants(session)}
    days = {d.isoformat(): d for d in session.days}
    day_columns = [c for c in (rows[0].keys() if rows else []) if c[:2] in ("19", "20")]
    for column in day_columns:
        if column not in days:
            _row_error(errors, 1, column, _("this day is outside the session's dates."))
    marks, now = [], timezone.now()
    for number, row in enumerate(rows, start=2):
        enrolment = _enrolment_of(row, number, by_id, errors)
        for column in day_columns:
            value = row.get(column, "").strip().lower()
            if value in PRESENT_WORDS:
                present = True
            elif value in ABSENT_WORDS:
                present = False
            else:
                _row_error(
                    errors, number, column, _("write 1 (present) or 0 (absent).")
                )
                continue
            if enrolment is not None and column in days:
                marks.append(
                    Attendance(
                        enrolment=enrolment,
                        date=days[column],
                        present=present,
                        recorded_at=now,
                    )
                )
    if not day_columns:
        errors.append(_("The sheet has no day columns (such as 2026-10-12)."))
    if errors:
        raise ApplicationError(errors)
    _upsert_attendance(marks)
    audit(actor, "attendance.import", session, details={"marks": len(marks)})
    return len(marks)


def _parse_score(value: str, maximum: Decimal):
    """A score between 0 and `maximum`; empty means none."""
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        score = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(
            _("“%(value)s” is not a number.") % {"value": value}
        ) from error
    if score < 0 or score > maximum:
        raise ValueError(
            _("%(score)s is outside 0 to %(max)s.")
            % {"score": value, "max": maximum.normalize()}
        )
    return score


def _save_results(actor, session, scores, action) -> int:
    now = timezone.now()
    rows = [
        Result(enrolment=e, instrument=i, score=s, recorded_at=now)
        for (e, i), s in scores.items()
        if s is not None
    ]
    Result.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["enrolment", "instrument"],
        update_fields=["score", "recorded_at"],
    )
    cleared = [(e.pk, i.pk) for (e, i), s in scores.items() if s is None]
    for enrolment_id, instrument_id in cleared:
        Result.objects.filter(
            enrolment_id=enrolment_id, instrument_id=instrument_id
        ).delete()
    audit(actor, action, session, details={"scores": len(rows)})
    return len(rows)


@transaction.atomic
def results_save(*, actor, session: Session, values: dict[tuple[int, str], str]) -> int:
    """The grid: (enrolment id, instrument kind) -> typed score. All or nothing."""
    _require_recorder(actor, session)
    instruments = {i.kind: i for i in session.programme.instruments.all()}
    by_id = {e.pk: e for e in participants(session)}
    errors, scores = [], {}
    for (enrolment_id, kind), value in values.items():
        enrolment, instrument = by_id.get(enrolment_id), instruments.get(kind)
        if enrolment is None or instrument is None:
            errors.append(_("A score names someone who is not enrolled here."))
            continue
        try:
            scores[enrolment, instrument] = _parse_score(value, instrument.max_score)
        except ValueError as error:
            errors.append(
                f"{enrolment.person} — {instrument.get_kind_display()}: {error}"
            )
    if errors:
        raise ApplicationError(errors)
    return _save_results(actor, session, scores, "results.save")


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


@transaction.atomic
def results_import(*, actor, session: Session, rows: list[dict]) -> int:
    """A score sheet: session, enrolment, then one column per instrument kind,
    and optionally one per question of the post-test ("post_test.Q1/4")."""
    _require_recorder(actor, session)
    errors: list[str] = []
    _check_session_column(rows, session, errors)
    instruments = {i.kind: i for i in session.programme.instruments.all()}
    by_id = {str(e.pk): e for e in participants(session)}
    item_columns = _item_columns(rows[0] if rows else {})
    scores, items = {}, {}
    for number, row in enumerate(rows, start=2):
        enrolment = _enrolment_of(row, number, by_id, errors)
        for kind, instrument in instruments.items():
            if kind not in row:
                continue
            try:
                score = _parse_score(row[kind], instrument.max_score)
            except ValueError as error:
                _row_error(errors, number, kind, str(error))
                continue
            if enrolment is not None and score is not None:
                scores[enrolment, instrument] = score
        for column, (item, maximum) in item_columns.items():
            try:
                score = _parse_score(row[column], maximum)
            except ValueError as error:
                _row_error(errors, number, column, str(error))
                continue
            if score is None or enrolment is None:
                continue
            if (enrolment, instruments[Instrument.Kind.POST_TEST]) not in scores:
                _row_error(
                    errors,
                    number,
                    column,
                    _("Question scores need the post-test score on the same row."),
                )
                continue
            items[enrolment, item] = (score, maximum)
    if not any(kind in (rows[0] if rows else {}) for kind in instruments):
        errors.append(_("The sheet has no score columns (pre_test, post_test, …)."))
    if errors:
        raise ApplicationError(errors)
    count = _save_results(actor, session, scores, "results.import")
    _save_items(session, items)
    return count


def _save_items(session, items: dict) -> None:
    """Replace the question scores of the post-tests the sheet scored."""
    post_tests = {
        result.enrolment_id: result
        for result in Result.objects.filter(
            enrolment__session=session,
            instrument__kind=Instrument.Kind.POST_TEST,
            enrolment__in={enrolment for enrolment, _item in items},
        )
    }
    ItemScore.objects.filter(result__in=post_tests.values()).delete()
    ItemScore.objects.bulk_create(
        ItemScore(
            result=post_tests[enrolment.pk],
            item=item,
            score=score,
            max_score=maximum,
        )
        for (enrolment, item), (score, maximum) in items.items()
    )


@transaction.atomic
def fidelity_record(*, actor, facilitation: Facilitation, percent) -> Facilitation:
    """The observer's fidelity checklist score for a facilitator of the session."""
    session = facilitation.session
    observer = SessionPolicy.is_facilitator(
        actor, session, roles=[Facilitation.Role.OBSERVER]
    )
    if not (observer or SessionPolicy.can_manage(actor, session)):
        raise ApplicationError(_("Only the session's observer records fidelity."))
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
