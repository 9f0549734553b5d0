"""Writes of the hub desk: checked, atomic, audited.

A referral moves draft → sent → accepted or declined → in progress → completed,
or is closed with a reason at any open step. Nothing leaves the centre without
the person's consent, unless a role allowed to override gives a reason. Two
people acting on the same referral at once queue on its row lock, and the second
is told what the first did.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core import protected
from relais.core.audit import audit
from relais.core.errors import ApplicationError, require
from relais.core.services import model_update
from relais.people.services import person_create
from relais.training.models import Certification

from .models import (
    Consent,
    FollowUp,
    HubSettings,
    ListeningNote,
    Referral,
    Service,
    SupervisorDesignation,
    Visit,
)
from .policies import (
    ConsentPolicy,
    HubSettingsPolicy,
    NotePolicy,
    ReferralPolicy,
    ServicePolicy,
    VisitPolicy,
)

R = Referral.Status


# -- Reception --------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    centre,
    channel,
    needs,
    minutes=10,
    digital_assisted=False,
    sex="",
    age_group="",
    commune=None,
    person=None,
) -> Visit:
    """Record a visit in a few taps; it may stay anonymous."""
    VisitPolicy.require(actor, "record", centre)
    require(bool(needs), _("Choose at least one need."))
    if commune is not None and commune.level != "commune":
        raise ApplicationError({"commune": _("Choose a commune.")})
    visit = Visit.objects.create(
        centre=centre,
        recorded_by=actor,
        channel=channel,
        minutes=minutes,
        digital_assisted=digital_assisted,
        sex=sex,
        age_group=age_group,
        commune=commune,
        person=person,
        territory_path=centre.territory_path,
        organisation_path=centre.path,
    )
    visit.needs.set(needs)
    audit(actor, "visit.record", visit)
    return visit


@transaction.atomic
def visit_open_file(*, actor, visit: Visit, first_name, last_name, **fields) -> Visit:
    """Give an anonymous visit a person's file, keeping what was already typed."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    VisitPolicy.require(actor, "open_file", visit)
    require(visit.person_id is None, _("This visit already has a person's file."))
    fields.setdefault("sex", visit.sex)
    person = person_create(
        actor=actor,
        organisation=visit.centre,
        function=_("Beneficiary"),
        first_name=first_name,
        last_name=last_name,
        **fields,
    )
    visit.person = person
    visit.save(update_fields=["person", "updated_at"])
    visit.consents.update(person=person)
    visit.referrals.update(person=person)
    audit(actor, "visit.open_file", visit)
    return visit


# -- Listening --------------------------------------------------------------------


def is_certified_agent(user) -> bool:
    """Does the agent hold a valid trainer certification from the cascade?"""
    if not user.person_id:
        return False
    return (
        Certification.objects.valid_on(timezone.localdate())
        .filter(person_id=user.person_id)
        .exists()
    )


@transaction.atomic
def note_write(*, actor, visit: Visit, text: str) -> ListeningNote:
    """A confidential note; under supervision it waits for a co-signature."""
    VisitPolicy.require(actor, "write_note", visit)
    require(bool(text.strip()), _("The note is empty."))
    supervised = HubSettings.current().supervised_mode and not is_certified_agent(actor)
    note = ListeningNote.objects.create(
        visit=visit,
        author=actor,
        text_encrypted=protected.encrypt(text.strip()),
        supervised=supervised,
        status=ListeningNote.Status.AWAITING_COSIGNATURE
        if supervised
        else ListeningNote.Status.FINAL,
    )
    audit(actor, "listening_note.write", note, details={"supervised": supervised})
    return note


def note_read(*, actor, note: ListeningNote) -> str:
    """The note's text, for its audience only; every read, and every refused
    attempt, is on record."""
    try:
        NotePolicy.require(actor, "read_text", note)
    except ApplicationError:
        audit(actor, "listening_note.read_refused", note)
        raise
    audit(actor, "listening_note.read", note)
    return protected.decrypt(note.text_encrypted) if note.text_encrypted else ""


@transaction.atomic
def note_cosign(*, actor, note: ListeningNote) -> ListeningNote:
    note = ListeningNote.objects.select_for_update().get(pk=note.pk)
    NotePolicy.require(actor, "cosign", note)
    require(
        note.status == ListeningNote.Status.AWAITING_COSIGNATURE,
        _("This note needs no co-signature."),
    )
    require(
        note.author_id != actor.pk, _("A supervisor cannot co-sign their own note.")
    )
    note.status = ListeningNote.Status.FINAL
    note.cosigned_by, note.cosigned_at = actor, timezone.now()
    note.save(update_fields=["status", "cosigned_by", "cosigned_at", "updated_at"])
    audit(actor, "listening_note.cosign", note)
    return note


@transaction.atomic
def supervisor_designate(*, actor, centre, user) -> SupervisorDesignation:
    ServicePolicy.require(actor, "designate_supervisors", centre)
    designation, _created = SupervisorDesignation.objects.get_or_create(
        centre=centre, user=user
    )
    audit(actor, "supervisor.designate", centre, details={"user": user.username})
    return designation


@transaction.atomic
def supervisor_remove(*, actor, designation: SupervisorDesignation) -> None:
    ServicePolicy.require(actor, "designate_supervisors", designation.centre)
    audit(
        actor,
        "supervisor.remove",
        designation.centre,
        details={"user": designation.user.username},
    )
    designation.delete()


# -- Consent ----------------------------------------------------------------------


@transaction.atomic
def consent_record(*, actor, visit: Visit, recipient, purpose: str) -> Consent:
    VisitPolicy.require(actor, "record_consent", visit)
    require(bool(purpose.strip()), _("Say what the consent is for."))
    consent = Consent.objects.create(
        visit=visit,
        person=visit.person,
        recipient=recipient,
        purpose=purpose.strip(),
        given_at=timezone.now(),
        recorded_by=actor,
    )
    audit(actor, "consent.record", consent)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    ConsentPolicy.require(actor, "withdraw", consent)
    require(consent.withdrawn_at is None, _("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    audit(actor, "consent.withdraw", consent)
    return consent


# -- Referral ---------------------------------------------------------------------


@transaction.atomic
def referral_create(*, actor, visit: Visit, service: Service, need=None, reason=""):
    VisitPolicy.require(actor, "refer", visit)
    require(service.is_active, _("This service is no longer offered."))
    provider = service.provider
    referral = Referral.objects.create(
        visit=visit,
        person=visit.person,
        service=service,
        need=need,
        reason=reason,
        created_by=actor,
        territory_path=visit.territory_path,
        organisation_path=visit.organisation_path,
        to_territory_path=provider.territory_path,
        to_organisation_path=provider.path,
    )
    audit(actor, "referral.create", referral)
    return referral


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _leaves_the_centre(referral: Referral) -> bool:
    return referral.service.provider_id != referral.visit.centre_id


@transaction.atomic
def referral_send(
    *, actor, referral: Referral, consent: Consent | None = None, override_reason=""
) -> Referral:
    """Send to the receiving side: with the person's consent, or an audited override."""
    referral = _lock(referral)
    ReferralPolicy.require(actor, "send", referral)
    require(referral.status == R.DRAFT, _("This referral was already sent."))
    if _leaves_the_centre(referral):
        valid = (
            consent is not None
            and consent.is_active
            and consent.visit_id == referral.visit_id
            and consent.recipient_id == referral.service.provider_id
        )
        if not valid:
            override_reason = override_reason.strip()
            allowed = ReferralPolicy.can(actor, "override_consent", referral)
            if not override_reason or not allowed:
                raise ApplicationError(
                    _(
                        "Record the person's consent to share with %(recipient)s "
                        "before sending."
                    )
                    % {"recipient": referral.service.provider}
                )
            referral.override_reason = override_reason
            referral.overridden_by = actor
            audit(
                actor,
                "referral.consent_override",
                referral,
                details={"reason": override_reason},
            )
        else:
            referral.consent = consent
    hub = HubSettings.current()
    now = timezone.now()
    referral.status, referral.sent_at = R.SENT, now
    referral.accept_by = now + datetime.timedelta(hours=hub.accept_within_hours)
    referral.save()
    audit(actor, "referral.send", referral)
    return referral


def _receiving(actor, referral: Referral, *allowed_from: str) -> None:
    ReferralPolicy.require(actor, "answer", referral)
    if referral.status not in allowed_from:
        raise ApplicationError(
            _("This referral is already “%(status)s”: someone acted on it first.")
            % {"status": referral.get_status_display()}
        )


@transaction.atomic
def referral_accept(*, actor, referral: Referral) -> Referral:
    referral = _lock(referral)
    _receiving(actor, referral, R.SENT)
    now = timezone.now()
    referral.status, referral.accepted_at = R.ACCEPTED, now
    referral.complete_by = now + datetime.timedelta(
        days=HubSettings.current().complete_within_days
    )
    referral.save()
    audit(actor, "referral.accept", referral)
    return referral


@transaction.atomic
def referral_decline(*, actor, referral: Referral, reason: str) -> Referral:
    referral = _lock(referral)
    _receiving(actor, referral, R.SENT)
    if not reason.strip():
        raise ApplicationError({"reason": _("Say why the referral is declined.")})
    referral.status, referral.decline_reason = R.DECLINED, reason.strip()
    referral.finished_at = timezone.now()
    referral.save()
    audit(actor, "referral.decline", referral, details={"reason": reason})
    return referral


@transaction.atomic
def referral_start(*, actor, referral: Referral) -> Referral:
    referral = _lock(referral)
    _receiving(actor, referral, R.ACCEPTED)
    referral.status = R.IN_PROGRESS
    referral.save()
    audit(actor, "referral.start", referral)
    return referral


@transaction.atomic
def referral_complete(*, actor, referral: Referral) -> Referral:
    referral = _lock(referral)
    _receiving(actor, referral, R.ACCEPTED, R.IN_PROGRESS)
    referral.status, referral.finished_at = R.COMPLETED, timezone.now()
    referral.save()
    audit(actor, "referral.complete", referral)
    return referral


OPEN = (R.DRAFT, R.SENT, R.ACCEPTED, R.IN_PROGRESS)


@transaction.atomic
def referral_close(*, actor, referral: Referral, reason: str, note="") -> Referral:
    """Close an open referral with one of the stated reasons (either side)."""
    referral = _lock(referral)
    ReferralPolicy.require(actor, "close", referral)
    if referral.status not in OPEN:
        raise ApplicationError(
            _("This referral is already “%(status)s”: someone acted on it first.")
            % {"status": referral.get_status_display()}
        )
    if reason not in Referral.ClosureReason.values:
        raise ApplicationError({"reason": _("Choose why the referral is closed.")})
    if reason == Referral.ClosureReason.OTHER and not note.strip():
        raise ApplicationError({"note": _("Say why, in a few words.")})
    referral.status, referral.finished_at = R.CLOSED, timezone.now()
    referral.closure_reason, referral.closure_note = reason, note.strip()
    referral.save()
    audit(actor, "referral.close", referral, details={"reason": reason})
    return referral


@transaction.atomic
def followup_add(*, actor, referral: Referral, date, note: str) -> FollowUp:
    ReferralPolicy.require(actor, "follow", referral)
    require(bool(note.strip()), _("The follow-up note is empty."))
    require(
        date <= timezone.localdate(), _("A follow-up cannot be dated in the future.")
    )
    follow_up = FollowUp.objects.create(
        referral=referral, date=date, note=note.strip(), author=actor
    )
    audit(actor, "referral.follow_up", referral)
    return follow_up


@transaction.atomic
def hub_settings_update(*, actor, **fields) -> HubSettings:
    HubSettingsPolicy.require(actor, "change")
    current = HubSettings.current()
    model_update(current, fields, fields)
    current.save()
    audit(actor, "hub.settings", details={k: str(v) for k, v in fields.items()})
    return current


# -- Catalogue --------------------------------------------------------------------

SERVICE_FIELDS = (
    "label_fr",
    "label_ar",
    "description",
    "audience",
    "capacity_per_week",
    "opening_hours",
    "languages",
    "online",
    "is_active",
)


@transaction.atomic
def service_save(*, actor, provider, needs, service: Service | None = None, **fields):
    ServicePolicy.require(actor, "edit", provider)
    if service is not None:
        ServicePolicy.require(actor, "edit", service.provider)
    service = service or Service()
    model_update(service, SERVICE_FIELDS, fields)
    service.provider = provider
    service.territory_path, service.organisation_path = (
        provider.territory_path,
        provider.path,
    )
    service.save()
    service.needs.set(needs)
    audit(actor, "service.save", service)
    return service
