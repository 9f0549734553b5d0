"""Certifying trainers: candidates, criteria, certification, suspension,
revocation and expiry, and the trainer certificate.

A completer of a training of trainers or of a relay session becomes a
candidate; a coordinator certifies them once every criterion of the programme
is met. Master trainers are named by the programme unit: generation 0.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.dates import add_months
from relais.core.errors import ApplicationError

from .. import lineage
from ..models import Certificate, Certification, Enrolment, Facilitation, Session
from ..policies import CertificationPolicy

E = Enrolment.Status
C = Certification.Status


def candidate_from(enrolment: Enrolment) -> None:
    """The completer of a session that trains trainers is a candidate trainer."""
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
    CertificationPolicy.require(actor, "decide", certification)
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
    CertificationPolicy.require(actor, "decide", certification)
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
    CertificationPolicy.require(actor, "name_master", person)
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
