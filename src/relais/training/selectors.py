"""Reads of the cascade, always within the reader's scope."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from relais.core.scoping import get_or_404
from relais.core.subqueries import count_of
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.people.selectors import person_search_q
from relais.territory.models import Territory

from . import lineage
from .models import (
    Certificate,
    Certification,
    Enrolment,
    Facilitation,
    Lineage,
    Programme,
    Result,
    Session,
    TrainingLink,
)
from .policies import CertificationPolicy, EnrolmentPolicy, SessionPolicy, TraineePolicy

E = Enrolment.Status


def programme_list() -> QuerySet:
    """Programmes are the same for everyone: the curriculum is public to staff."""
    return Programme.objects.annotate(session_count=Count("sessions")).order_by("code")


def programme_get(*, pk) -> Programme:
    return get_or_404(
        Programme.objects.prefetch_related("modules", "kits__modules", "instruments"),
        pk=pk,
    )


def session_list(
    *, actor, search="", status="", level="", region=None, mine=False
) -> QuerySet:
    qs = Session.objects.filter(SessionPolicy.readable(actor))
    if mine:
        qs = qs.filter(
            Exists(
                Facilitation.objects.filter(
                    session=OuterRef("pk"), person_id=actor.person_id
                )
            )
        )
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(title__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if region is not None:
        qs = qs.filter(territory_path__startswith=region.path)
    return (
        qs.select_related("venue", "programme")
        .annotate(
            confirmed=count_of(Enrolment.objects.filter(status=E.CONFIRMED), "session"),
            waiting=count_of(Enrolment.objects.filter(status=E.WAITLISTED), "session"),
        )
        .prefetch_related(
            Prefetch(
                "facilitations",
                queryset=Facilitation.objects.filter(
                    role=Facilitation.Role.LEAD
                ).select_related("person"),
                to_attr="leads",
            )
        )
        .order_by("-start_date", "code")
    )


def session_get(*, actor, pk) -> Session:
    qs = Session.objects.filter(SessionPolicy.readable(actor)).select_related(
        "programme", "kit", "venue"
    )
    return get_or_404(qs, pk=pk)


def sessions_readable_among(*, actor, ids) -> set[int]:
    """Those of `ids` whose session page the actor may open: a page links a
    session there only then. One query."""
    return set(
        Session.objects.filter(SessionPolicy.readable(actor), pk__in=ids).values_list(
            "pk", flat=True
        )
    )


def regions() -> QuerySet:
    """The regions, to filter sessions by."""
    return Territory.objects.filter(level="region")


def region_by_code(code: str) -> Territory | None:
    return regions().filter(code=code).first()


def plannable_venues(*, actor) -> QuerySet:
    """The organisations where the actor may plan a session."""
    return Organisation.objects.filter(SessionPolicy.where(actor, "plan")).order_by(
        "path"
    )


def session_facilitations(session: Session) -> QuerySet:
    return session.facilitations.select_related("person")


# A search for a trainer shows at most this many: enough to find one by a part
# of a name, few enough for a slow connection.
TRAINERS_FOUND = 20


def trainers_to_assign(session: Session) -> QuerySet:
    """Who may be assigned to the session: its programme's certified trainers
    and candidates (who co-facilitate to be observed), not already on it."""
    return (
        Person.objects.filter(
            certifications__programme=session.programme,
            certifications__status__in=[
                Certification.Status.CERTIFIED,
                Certification.Status.CANDIDATE,
            ],
        )
        .exclude(facilitations__session=session)
        .distinct()
    )


def trainers_found(session: Session, search: str) -> list[Person]:
    """The trainers to assign whose name matches the search, by name. Nationally
    they are thousands: the page asks for a name instead of listing them all."""
    if not search:
        return []
    found = trainers_to_assign(session).filter(person_search_q(search))
    return list(found.order_by("last_name", "first_name", "id")[:TRAINERS_FOUND])


def facilitation_get(*, session: Session, pk) -> Facilitation:
    """A facilitation of a session the caller has already read."""
    return get_or_404(session.facilitations.all(), pk=pk)


def enrolment_get(*, session: Session, pk) -> Enrolment:
    """An enrolment of a session the caller has already read."""
    return get_or_404(session.enrolments.select_related("person"), pk=pk)


def enrolment_named_get(*, actor, session: Session, pk) -> Enrolment:
    """An enrolment whose participant the actor may see by name (see
    `participants_named_to`); a 404 for the others, like a missing one."""
    enrolment = enrolment_get(session=session, pk=pk)
    if enrolment.person_id not in participants_named_to(actor=actor, session=session):
        raise Http404
    return enrolment


def attendance_marks(session: Session, day: datetime.date) -> dict[int, bool]:
    """Enrolment id -> present, for the marks already taken on a day."""
    return dict(
        session.enrolments.filter(attendance__date=day).values_list(
            "pk", "attendance__present"
        )
    )


def session_scores(session: Session) -> dict[tuple[int, str], object]:
    """(enrolment id, instrument kind) -> score, for the results recorded."""
    return {
        (r.enrolment_id, r.instrument.kind): r.score.normalize()
        for r in Result.objects.filter(enrolment__session=session).select_related(
            "instrument"
        )
    }


def roster(session: Session) -> list[Enrolment]:
    """Every enrolment with its attendance count and results, in three queries."""
    return list(
        session.enrolments.select_related("person")
        .annotate(
            present_days=Count("attendance", filter=Q(attendance__present=True)),
            marked_days=Count("attendance"),
        )
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.select_related("instrument"))
        )
        .order_by("status", "person__last_name", "person__first_name")
    )


def participants_named_to(*, actor, session: Session) -> set[int]:
    """The participants (person ids) whose names the actor may see in `session`:
    all of them for those who run or record it, otherwise those PersonPolicy
    lets the actor see. One query at most, whatever the number enrolled."""
    enrolled = Person.objects.filter(enrolments__session=session)
    if not SessionPolicy.can(actor, "record", session):
        enrolled = enrolled.filter(PersonPolicy.readable(actor))
    return set(enrolled.values_list("pk", flat=True))


def enrollable_people(*, actor, session: Session, search="") -> QuerySet:
    """People the actor may enrol, not already in the session."""
    qs = Person.objects.filter(EnrolmentPolicy.where(actor, "enrol")).exclude(
        enrolments__session=session
    )
    if search:
        qs = qs.filter(person_search_q(search))
    return qs.order_by("last_name", "first_name")


def enrollable_person_get(*, actor, session: Session, pk) -> Person:
    return get_or_404(enrollable_people(actor=actor, session=session), pk=pk)


def _training_readable(actor) -> Q:
    """People whose training history the actor may read: within their people
    scope, a trainee of one of their sessions, or themselves."""
    return (
        PersonPolicy.readable(actor)
        | TraineePolicy.readable(actor)
        | Q(pk=actor.person_id)
    )


def person_training_get(*, actor, pk) -> Person:
    return get_or_404(Person.objects.filter(_training_readable(actor)), pk=pk)


def training_readable_among(*, actor, ids) -> set[int]:
    """Those of `ids` whose training pages (history, trainees) the actor may
    open: a page links a name there only then. One query."""
    return set(
        Person.objects.filter(_training_readable(actor), pk__in=ids).values_list(
            "pk", flat=True
        )
    )


def training_history(person: Person) -> dict:
    return {
        "enrolments": person.enrolments.select_related(
            "session__programme", "session__venue"
        )
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.select_related("instrument"))
        )
        .order_by("-session__start_date"),
        "facilitations": person.facilitations.select_related("session").order_by(
            "-session__start_date"
        ),
        "certifications": person.certifications.select_related("programme"),
        "lineage": Lineage.objects.filter(person=person).first(),
    }


def descendants_by_generation(*, trainer: Person) -> list[tuple[int, int]]:
    """How many people the trainer's cascade reached, per generation."""
    return lineage.descendants_by_generation(trainer.pk)


def trainees(*, trainer: Person) -> QuerySet:
    """The trainer's direct trainees with how many people each trained in turn,
    by name: in the people's name order, so that a master trainer's first pages
    read a thousand names or so, not their 24,000 trainees sorted."""
    direct = TrainingLink.objects.filter(trainer=trainer).values("trainee_id")
    return (
        Person.objects.filter(pk__in=direct)
        .select_related("lineage")
        .annotate(
            trained=count_of(TrainingLink.objects.all(), "trainer", distinct="trainee")
        )
        .order_by("last_name", "first_name", "pk")
    )


def certification_list(*, actor, status="", search="") -> QuerySet:
    qs = Certification.objects.filter(CertificationPolicy.readable(actor))
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            person__in=Person.objects.filter(person_search_q(search)).values("pk")
        )
    return qs.select_related(
        "person", "programme", "source_enrolment__session"
    ).order_by("status", "person__last_name")


def certification_get(*, actor, pk) -> Certification:
    return get_or_404(certification_list(actor=actor), pk=pk)


def certificates_of(certification: Certification) -> QuerySet:
    return certification.certificates.all()


def latest_certificate(certification: Certification) -> Certificate | None:
    """The certification's most recent trainer certificate, if any."""
    return certification.certificates.order_by("-issued_on", "-id").first()


def session_certificates(session: Session) -> QuerySet:
    """The completion certificates of a session, ready to print."""
    return Certificate.objects.filter(enrolment__session=session).select_related(
        "person", "enrolment__session__programme", "enrolment__session__venue"
    )


def certificate_by_token(token: str) -> Certificate | None:
    """The certificate a QR code names, for the public verification page."""
    return (
        Certificate.objects.select_related(
            "person", "enrolment__session__programme", "certification__programme"
        )
        .filter(token=token)
        .first()
    )
