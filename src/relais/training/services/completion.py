"""Closing a session under the programme's rules.

When a session closes, each confirmed participant is completed or not, with the
reason kept as figures (`Enrolment.outcome`) and shown in the reader's language.
Completers get a certificate; completers of a training of trainers or of a relay
session become candidates for certification as relay trainers. The cascade's
lineage is recorded at once, and `session_closed` tells whoever follows the
sessions (the dashboards' summaries).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError

from .. import lineage
from ..models import Certificate, Enrolment, Instrument, Result, Session
from ..policies import SessionPolicy
from ..signals import session_closed
from .certification import candidate_from

E = Enrolment.Status
# Completers of these sessions may go on to train others: the pilot group from the
# training of trainers, then the cadres whom relay trainers train in turn. End
# users (beneficiaries) do not become trainers.
TRAINS_TRAINERS = (Session.Level.TRAINING_OF_TRAINERS, Session.Level.RELAY)


def _percent(value) -> float:
    return float(round(Decimal(value), 1))


def evaluate(session: Session) -> dict[int, dict]:
    """Each confirmed participant's attendance share and post-test score."""
    days = len(session.days)
    enrolments = session.enrolments.filter(status=E.CONFIRMED).annotate(
        present=Count("attendance", filter=Q(attendance__present=True))
    )
    post = {
        r.enrolment_id: r.percent
        for r in Result.objects.filter(
            enrolment__session=session, instrument__kind=Instrument.Kind.POST_TEST
        ).select_related("instrument")
    }
    programme = session.programme
    outcomes = {}
    for enrolment in enrolments:
        attendance = Decimal(enrolment.present * 100) / days
        reasons = []
        if attendance < programme.min_attendance_percent:
            reasons.append("attendance")
        score = post.get(enrolment.pk)
        if score is None:
            reasons.append("no_post_test")
        elif score < programme.min_post_test_percent:
            reasons.append("post_test")
        outcomes[enrolment.pk] = {
            "completed": not reasons,
            "attendance": _percent(attendance),
            "post_test": None if score is None else _percent(score),
            "min_attendance": programme.min_attendance_percent,
            "min_post_test": programme.min_post_test_percent,
            "reasons": reasons,
        }
    return outcomes


def outcome_text(outcome: dict) -> str:
    """Why a participant completed or not, in the reader's language."""
    if not outcome:
        return ""
    outcome = {
        key: number_format(value, decimal_pos=0) if isinstance(value, float) else value
        for key, value in outcome.items()
    }
    parts = []
    for reason in outcome.get("reasons", []):
        if reason == "attendance":
            parts.append(
                _("attendance %(value)s%% below the required %(min)s%%")
                % {"value": outcome["attendance"], "min": outcome["min_attendance"]}
            )
        elif reason == "post_test":
            parts.append(
                _("post-test %(value)s%% below the required %(min)s%%")
                % {"value": outcome["post_test"], "min": outcome["min_post_test"]}
            )
        elif reason == "no_post_test":
            parts.append(_("no post-test score"))
    if not parts:
        return _("attendance %(attendance)s%%, post-test %(post)s%%") % {
            "attendance": outcome["attendance"],
            "post": outcome["post_test"],
        }
    return "; ".join(parts)


@transaction.atomic
def session_close(
    *, actor, session: Session, on: datetime.date | None = None
) -> dict[str, int]:
    """Apply the programme's rules to every participant and close the session.

    `on` is the day of closing (today unless a register is brought in late).
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    SessionPolicy.require(actor, "close", session)
    if session.status not in (Session.Status.OPEN, Session.Status.RUNNING):
        raise ApplicationError(_("Only an open or running session can be closed."))
    today = on or timezone.localdate()
    if session.end_date > today or today > timezone.localdate():
        raise ApplicationError(_("A session closes after its last day."))
    outcomes = evaluate(session)
    counts = {"completed": 0, "failed": 0}
    for enrolment in session.enrolments.filter(pk__in=outcomes):
        outcome = outcomes[enrolment.pk]
        enrolment.status = E.COMPLETED if outcome["completed"] else E.FAILED
        enrolment.outcome = outcome
        enrolment.save(update_fields=["status", "outcome", "updated_at"])
        counts[enrolment.status] += 1
        if enrolment.status == E.COMPLETED:
            Certificate.objects.create(
                kind=Certificate.Kind.COMPLETION,
                person=enrolment.person,
                enrolment=enrolment,
                issued_on=today,
            )
            if session.level in TRAINS_TRAINERS:
                candidate_from(enrolment)
    # People still waiting when the session ends never took part.
    session.enrolments.filter(
        status__in=[E.REGISTERED, E.WAITLISTED, E.INVITED]
    ).update(status=E.WITHDRAWN, waitlisted_at=None, updated_at=timezone.now())
    session.status, session.closed_at = Session.Status.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at", "updated_at"])
    lineage.record_session(session)
    session_closed.send(sender=Session, session=session)
    audit(actor, "session.close", session, details=counts)
    return counts


def completion_certificate(enrolment: Enrolment) -> Certificate:
    """The certificate of a participant who completed; a clear refusal otherwise."""
    if enrolment.status != E.COMPLETED:
        raise ApplicationError(
            _("%(person)s did not complete this session: there is no certificate.")
            % {"person": enrolment.person}
        )
    certificate = (
        Certificate.objects.select_related(
            "person", "enrolment__session__programme", "enrolment__session__venue"
        )
        .filter(enrolment=enrolment)
        .first()
    )
    # Completions recorded before Relais (a migrated history) have none.
    if certificate is None:
        raise ApplicationError(
            _("No certificate was issued for %(person)s's completion.")
            % {"person": enrolment.person}
        )
    return certificate
