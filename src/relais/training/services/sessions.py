"""Sessions and their facilitators: planned at a venue of the actor's territory,
led by a trainer certified for the level.

Every write checks the actor's scope, runs in one transaction and is audited.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError, full_clean, require
from relais.core.services import model_update
from relais.people.models import Person

from ..models import (
    Certification,
    CurriculumKit,
    Enrolment,
    Facilitation,
    Programme,
    Session,
)
from ..policies import SessionPolicy
from ..signals import deliveries_changed
from .enrolment import lock_session, promote_waiting_list

S = Session.Status
E = Enrolment.Status


# -- Sessions ---------------------------------------------------------------------

SESSION_FIELDS = (
    "title",
    "level",
    "audience",
    "phase",
    "start_date",
    "end_date",
    "capacity",
    "requires_approval",
)


@transaction.atomic
def session_create(
    *, actor, programme: Programme, kit: CurriculumKit, code: str, venue, **fields
) -> Session:
    """Plan a session at a venue within the actor's scope."""
    SessionPolicy.require(actor, "plan", venue)
    require(kit.programme_id == programme.pk, _("Choose a kit of this programme."))
    session = Session(
        programme=programme,
        kit=kit,
        code=code.strip().upper(),
        venue=venue,
        territory_path=venue.territory_path,
        organisation_path=venue.path,
        **{name: fields[name] for name in SESSION_FIELDS if name in fields},
    )
    _check_dates(session)
    full_clean(session)
    session.save()
    audit(actor, "session.create", session)
    return session


def _check_dates(session: Session) -> None:
    if (
        session.start_date
        and session.end_date
        and session.end_date < session.start_date
    ):
        raise ApplicationError({"end_date": _("The last day comes before the first.")})


def _deliveries_changed(session: Session, people=None) -> None:
    if people is None:
        people = list(session.facilitations.values_list("person_id", flat=True))
    deliveries_changed.send(sender=Session, session=session, people=people)


@transaction.atomic
def session_update(*, actor, session: Session, venue, kit, **fields) -> Session:
    session = lock_session(session)
    SessionPolicy.require(actor, "manage", session)
    require(
        session.status not in (S.CLOSED, S.CANCELLED),
        _("A closed or cancelled session can no longer change."),
    )
    SessionPolicy.require(actor, "plan", venue)
    model_update(session, SESSION_FIELDS, fields)
    require(
        kit.programme_id == session.programme_id, _("Choose a kit of this programme.")
    )
    session.kit, session.venue = kit, venue
    session.territory_path, session.organisation_path = venue.territory_path, venue.path
    _check_dates(session)
    confirmed = session.enrolments.filter(status=E.CONFIRMED).count()
    if session.capacity < confirmed:
        raise ApplicationError(
            {
                "capacity": _(
                    "%(count)s people are already confirmed: the capacity cannot be "
                    "lower."
                )
                % {"count": confirmed}
            }
        )
    full_clean(session)
    session.save()
    promote_waiting_list(session)
    _deliveries_changed(session)
    audit(actor, "session.update", session)
    return session


TRANSITIONS = {
    S.PLANNED: {S.OPEN, S.CANCELLED},
    S.OPEN: {S.PLANNED, S.RUNNING, S.CANCELLED},
    S.RUNNING: {S.OPEN, S.CANCELLED},
}


@transaction.atomic
def session_set_status(*, actor, session: Session, status: str) -> Session:
    """Open enrolment, start, cancel. Closing goes through `session_close`."""
    session = lock_session(session)
    SessionPolicy.require(actor, "manage", session)
    require(
        status in TRANSITIONS.get(session.status, set()),
        _("A session cannot go from “%(from)s” to “%(to)s”.")
        % {"from": session.get_status_display(), "to": S(status).label},
    )
    if status == S.RUNNING:
        require(
            session.facilitations.filter(role=Facilitation.Role.LEAD).exists(),
            _("A session starts only with a lead trainer."),
        )
    session.status = status
    session.save(update_fields=["status", "updated_at"])
    if status == S.CANCELLED:
        _deliveries_changed(session)
    audit(actor, f"session.{status}", session)
    return session


def holds_valid_certification(person: Person, programme, level, day) -> bool:
    return (
        Certification.objects.valid_on(day)
        .filter(person=person, programme=programme, level__in=level)
        .exists()
    )


@transaction.atomic
def facilitation_assign(*, actor, session: Session, person: Person, role: str):
    """Assign a trainer. Leads must be certified for the level they lead."""
    session = lock_session(session)
    SessionPolicy.require(actor, "manage", session)
    require(session.status not in (S.CLOSED, S.CANCELLED), _("This session is over."))
    L = Certification.Level
    if role == Facilitation.Role.LEAD:
        if session.level == Session.Level.TRAINING_OF_TRAINERS:
            require(
                holds_valid_certification(
                    person, session.programme, [L.MASTER_TRAINER], session.start_date
                ),
                _("Only a certified master trainer leads a training of trainers."),
            )
        else:
            require(
                holds_valid_certification(
                    person,
                    session.programme,
                    [L.RELAY_TRAINER, L.MASTER_TRAINER],
                    session.start_date,
                ),
                _("Only a certified trainer leads relay and end-user sessions."),
            )
    if role == Facilitation.Role.OBSERVER:
        require(
            holds_valid_certification(
                person,
                session.programme,
                [L.RELAY_TRAINER, L.MASTER_TRAINER],
                session.start_date,
            ),
            _("An observer must be a certified trainer."),
        )
    require(
        not session.enrolments.filter(person=person)
        .exclude(status=E.WITHDRAWN)
        .exists(),
        _("This person is enrolled in the session and cannot also facilitate it."),
    )
    try:
        with transaction.atomic():
            facilitation = Facilitation.objects.create(
                session=session, person=person, role=role
            )
    except IntegrityError as error:
        raise ApplicationError(
            _("This person already has a role in the session.")
        ) from error
    _deliveries_changed(session, [person.pk])
    audit(actor, "facilitation.assign", facilitation, details={"role": role})
    return facilitation


@transaction.atomic
def facilitation_remove(*, actor, facilitation: Facilitation) -> None:
    session = lock_session(facilitation.session)
    SessionPolicy.require(actor, "manage", session)
    require(session.status not in (S.CLOSED, S.CANCELLED), _("This session is over."))
    audit(actor, "facilitation.remove", facilitation)
    facilitation.delete()
    _deliveries_changed(session, [facilitation.person_id])
