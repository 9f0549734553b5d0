"""Reads of the cascade, always within the reader's scope."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from relais.core.roles import Permission
from relais.core.scoping import get_or_404, scope_for
from relais.core.subqueries import count_of
from relais.people.models import Person
from relais.people.policies import PersonPolicy, people_in_scope
from relais.people.selectors import person_search_q

from .models import (
    Certification,
    Enrolment,
    Facilitation,
    Lineage,
    Programme,
    Result,
    Session,
    TrainingLink,
)
from .policies import SessionPolicy, TraineePolicy

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
    qs = Session.objects.filter(SessionPolicy.readable_by(actor))
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
    qs = Session.objects.filter(SessionPolicy.readable_by(actor)).select_related(
        "programme", "kit", "venue"
    )
    return get_or_404(qs, pk=pk)


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
    if not SessionPolicy.can_record(actor, session):
        enrolled = enrolled.filter(PersonPolicy.readable_by(actor))
    return set(enrolled.values_list("pk", flat=True))


def enrollable_people(*, actor, session: Session, search="") -> QuerySet:
    """People the actor may enrol, not already in the session."""
    qs = Person.objects.filter(
        people_in_scope(actor, Permission.ENROLMENT_MANAGE)
    ).exclude(enrolments__session=session)
    if search:
        qs = qs.filter(person_search_q(search))
    return qs.order_by("last_name", "first_name")


def person_training_get(*, actor, pk) -> Person:
    """A person whose training history the actor may read: within their people
    scope, a trainee of one of their sessions, or themselves."""
    qs = Person.objects.filter(
        PersonPolicy.readable_by(actor)
        | TraineePolicy.trainees_of(actor)
        | Q(pk=actor.person_id)
    )
    return get_or_404(qs, pk=pk)


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


def trainees(*, trainer: Person) -> QuerySet:
    """The trainer's direct trainees with how many people each trained in turn."""
    direct = TrainingLink.objects.filter(trainer=trainer).values("trainee_id")
    return (
        Person.objects.filter(pk__in=direct)
        .select_related("lineage")
        .annotate(
            trained=count_of(TrainingLink.objects.all(), "trainer", distinct="trainee")
        )
        .order_by("lineage__generation", "last_name", "first_name")
    )


def certification_list(*, actor, status="", search="") -> QuerySet:
    scope = scope_for(actor, Permission.SESSION_MANAGE)
    qs = Certification.objects.filter(
        scope.q(territory="territory_path", organisation=None)
    )
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
