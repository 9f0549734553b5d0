"""Closing a session under the programme's rules, and certifying trainers.

When a session closes, each confirmed participant is completed or not, with the
reason kept as figures (`Enrolment.outcome`) and shown in the reader's language.
Completers get a certificate; completers of a training of trainers or of a relay
session become candidates for certification as relay trainers.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.dates import add_months
from relais.core.errors import ApplicationError
from relais.core.roles import Permission
from relais.core.scoping import scope_for
from relais.monitoring import summaries, tasks

from . import lineage
from .models import (
    Certificate,
    Certification,
    Enrolment,
    Facilitation,
    Instrument,
    Result,
    Session,
)
from .policies import SessionPolicy

E = Enrolment.Status
C = Certification.Status
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
    if not SessionPolicy.can_manage(actor, session):
        raise ApplicationError(_("You cannot close this session."))
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
                _make_candidate(enrolment)
    # People still waiting when the session ends never took part.
    session.enrolments.filter(
        status__in=[E.REGISTERED, E.WAITLISTED, E.INVITED]
    ).update(status=E.WITHDRAWN, waitlisted_at=None, updated_at=timezone.now())
    session.status, session.closed_at = Session.Status.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at", "updated_at"])
    lineage.record_session(session)
    summaries.record_session(session)
    # Generations may have moved further down the cascade: the summaries are made
    # again as a whole, after the commit, by the task worker.
    transaction.on_commit(lambda: tasks.summarise.enqueue([session.programme_id]))
    audit(actor, "session.close", session, details=counts)
    return counts


def _make_candidate(enrolment: Enrolment) -> None:
    certification, created = Certification.objects.get_or_create(
        person=enrolment.person,
        programme=enrolment.session.programme,
        level=Certification.Level.RELAY_TRAINER,
        defaults={
            "status": C.CANDIDATE,
            "source_enrolment": enrolment,
            "territory_path": enrolment.session.territory_path,
        },
    )
    if not created and certification.source_enrolment_id is None:
        certification.source_enrolment = enrolment
        certification.save(update_fields=["source_enrolment", "updated_at"])


def completion_certificate(enrolment: Enrolment) -> Certificate:
    """The certificate of a participant who completed; a clear refusal otherwise."""
    if enrolment.status != E.COMPLETED:
        raise ApplicationError(
            _("%(person)s did not complete this session: there is no certificate.")
            % {"person": enrolment.person}
        )
    return Certificate.objects.select_related(
        "person", "enrolment__session__programme", "enrolment__session__venue"
    ).get(enrolment=enrolment)


# -- Trainer certification --------------------------------------------------------


def criteria(
    certification: Certification, on: datetime.date | None = None
) -> list[dict]:
    """The programme's criteria, each met or not on a day, with the evidence."""
    programme = certification.programme
    source = certification.source_enrolment
    tot_done = source is not None and source.status == E.COMPLETED
    observed = (
        Facilitation.objects.filter(
            person=certification.person,
            role=Facilitation.Role.CO_FACILITATOR,
            session__programme=programme,
            session__end_date__lte=on or timezone.localdate(),
            session__facilitations__role=Facilitation.Role.OBSERVER,
            fidelity_percent__isnull=False,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session")
        .order_by("-fidelity_percent")
        .first()
    )
    fidelity_ok = (
        observed is not None
        and observed.fidelity_percent >= programme.min_fidelity_percent
    )
    return [
        {
            "label": _("Completed a training of trainers or a relay session"),
            "met": tot_done,
            "evidence": source.session.code if tot_done else "",
        },
        {
            "label": _("Co-facilitated an observed session with fidelity ≥ %(min)s%%")
            % {"min": programme.min_fidelity_percent},
            "met": fidelity_ok,
            "evidence": (
                f"{observed.session.code}: {observed.fidelity_percent.normalize()}%"
                if observed
                else ""
            ),
        },
    ]


def _require_certifier(actor, certification: Certification) -> None:
    scope = scope_for(actor, Permission.SESSION_MANAGE)
    if not scope.covers(territory_path=certification.territory_path):
        raise ApplicationError(_("You cannot decide on this certification."))


def _expiry(certification: Certification, day: datetime.date) -> datetime.date:
    return add_months(day, certification.programme.certification_months)


@transaction.atomic
def certification_certify(
    *, actor, certification: Certification, on: datetime.date | None = None
) -> Certification:
    """Certify a candidate who meets every criterion; issues the trainer certificate.

    `on` records a decision taken earlier (as when a register is brought in).
    """
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    _require_certifier(actor, certification)
    if certification.status not in (C.CANDIDATE, C.EXPIRED):
        raise ApplicationError(
            _("Only a candidate (or an expired trainer) is certified.")
        )
    today = on or timezone.localdate()
    unmet = [c["label"] for c in criteria(certification, on=today) if not c["met"]]
    if unmet:
        raise ApplicationError(
            _("The criteria are not all met: %(unmet)s.") % {"unmet": "; ".join(unmet)}
        )
    certification.status = C.CERTIFIED
    certification.certified_on = today
    certification.expires_on = _expiry(certification, today)
    certification.reason = ""
    certification.save()
    certificate_for_certification(certification)
    audit(actor, "certification.certify", certification)
    return certification


def certificate_for_certification(certification: Certification) -> Certificate:
    """The trainer certificate of a certification, issued once per certification."""
    certificate, _created = Certificate.objects.get_or_create(
        kind=Certificate.Kind.TRAINER,
        certification=certification,
        issued_on=certification.certified_on,
        defaults={"person": certification.person},
    )
    return certificate


@transaction.atomic
def certification_set_status(
    *, actor, certification: Certification, status: str, reason: str = ""
) -> Certification:
    """Suspend, reinstate or revoke; suspension and revocation need a reason."""
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    _require_certifier(actor, certification)
    allowed = {
        C.SUSPENDED: {C.CERTIFIED},
        C.CERTIFIED: {C.SUSPENDED},
        C.REVOKED: {C.CERTIFIED, C.SUSPENDED, C.EXPIRED},
    }
    if certification.status not in allowed.get(status, set()):
        raise ApplicationError(_("This change of status is not possible."))
    if status in (C.SUSPENDED, C.REVOKED) and not reason.strip():
        raise ApplicationError({"reason": _("Give the reason.")})
    certification.status, certification.reason = status, reason.strip()
    certification.save(update_fields=["status", "reason", "updated_at"])
    audit(actor, f"certification.{status}", certification, details={"reason": reason})
    return certification


@transaction.atomic
def certifications_expire(*, day: datetime.date | None = None) -> int:
    """Mark as expired the certifications whose renewal date has passed."""
    day = day or timezone.localdate()
    expired = Certification.objects.filter(status=C.CERTIFIED, expires_on__lt=day)
    count = expired.update(status=C.EXPIRED, updated_at=timezone.now())
    if count:
        audit(None, "certification.expire", details={"count": count, "day": str(day)})
    return count


@transaction.atomic
def master_trainer_certify(*, actor, person, programme, certified_on=None):
    """The programme unit names a master trainer: generation 0 of the cascade."""
    if not scope_for(actor, Permission.PROGRAMME_MANAGE).covers(territory_path="MA/"):
        raise ApplicationError(_("Only the programme unit names master trainers."))
    day = certified_on or timezone.localdate()
    territory_path, _organisation = person.home_paths()
    certification, _created = Certification.objects.update_or_create(
        person=person,
        programme=programme,
        level=Certification.Level.MASTER_TRAINER,
        defaults={
            "status": C.CERTIFIED,
            "certified_on": day,
            "expires_on": add_months(day, programme.certification_months),
            "territory_path": territory_path,
        },
    )
    certificate_for_certification(certification)
    lineage.record_master(person.pk)
    audit(actor, "certification.master", certification)
    return certification
