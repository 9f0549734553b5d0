"""Enrolment: seats, the waiting list, approval, overlaps and scope.

The rules live in `enrolments_bulk_create`, which the session page (one
person at a time) and the imports (thousands) both call. Capacity is guarded
by locking the session row: two coordinators confirming the last seat at the
same moment queue on that lock, and the second finds it taken.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core import batches
from relais.core.audit import audit, audit_many
from relais.core.batches import BatchOutcome
from relais.core.errors import ApplicationError, require
from relais.people.models import Person

from ..models import Enrolment, Facilitation, Session
from ..policies import EnrolmentPolicy, SessionPolicy

S = Session.Status
E = Enrolment.Status


def lock_session(session: Session) -> Session:
    """The session row, locked until the transaction ends (PostgreSQL; SQLite
    serialises every write transaction already)."""
    return Session.objects.select_for_update().get(pk=session.pk)


def seats_left(session: Session) -> int:
    return session.capacity - session.enrolments.filter(status=E.CONFIRMED).count()


def _place(enrolment: Enrolment) -> None:
    """Confirm if a seat is free, else join the end of the waiting list."""
    if seats_left(enrolment.session) > 0:
        enrolment.status, enrolment.waitlisted_at = E.CONFIRMED, None
    else:
        enrolment.status = E.WAITLISTED
        enrolment.waitlisted_at = enrolment.waitlisted_at or timezone.now()


def promote_waiting_list(session: Session) -> list[Enrolment]:
    """Fill free seats from the waiting list, first in, first promoted."""
    promoted = []
    free = seats_left(session)
    if free <= 0:
        return promoted
    waiting = session.enrolments.filter(status=E.WAITLISTED).order_by(
        "waitlisted_at", "id"
    )[:free]
    for enrolment in waiting:
        enrolment.status, enrolment.waitlisted_at = E.CONFIRMED, None
        enrolment.save(update_fields=["status", "waitlisted_at", "updated_at"])
        audit(None, "enrolment.promote", enrolment)
        promoted.append(enrolment)
    return promoted


@dataclass(frozen=True)
class EnrolmentRequest:
    """Enrol a person into a session; `row` is the caller's, for messages."""

    row: int
    session_id: int
    person_id: int


NOT_ENROLLABLE = EnrolmentPolicy.actions["enrol"]


class _Bookings:
    """What the people of a batch are already booked into, to find overlaps;
    the batch's own enrolments are added as they are placed."""

    def __init__(self, person_ids: set[int]):
        self.by_person: dict[int, list[tuple]] = defaultdict(list)
        for chunk in batches.chunks(sorted(person_ids)):
            for values in (
                Enrolment.objects.filter(
                    person_id__in=chunk, status__in=Enrolment.ACTIVE
                )
                .exclude(session__status=S.CANCELLED)
                .values_list(
                    "person_id",
                    "session_id",
                    "session__start_date",
                    "session__end_date",
                    "session__code",
                )
            ):
                self.by_person[values[0]].append(values[1:])

    def clash(self, person_id: int, session: Session) -> str | None:
        """The code of a session the person is booked into on overlapping days."""
        for session_id, start, end, code in self.by_person[person_id]:
            if (
                session_id != session.pk
                and start <= session.end_date
                and end >= session.start_date
            ):
                return code
        return None

    def add(self, person_id: int, session: Session) -> None:
        self.by_person[person_id].append(
            (session.pk, session.start_date, session.end_date, session.code)
        )


@transaction.atomic
def enrolments_bulk_create(
    *,
    actor,
    requests: list[EnrolmentRequest],
    keep_valid: bool = False,
    write: bool = True,
) -> BatchOutcome:
    """Enrol people: the rules of the session page, for one person or a thousand.

    The session must be visible to the actor and open, the person within the
    actor's enrolment scope, not facilitating the session and not booked
    elsewhere on overlapping days. A seat is confirmed while one is free (the
    sessions are locked, so two batches cannot both take the last one), then
    people join the waiting list in the batch's order; where the session asks
    for approval and the actor does not manage it, they wait for it. Someone
    already enrolled is left as they are; someone who withdrew is enrolled
    again. With `write` false the batch is only checked. Nothing is written
    when a request has a problem, unless `keep_valid`.
    """
    outcome = BatchOutcome(lines=len(requests))
    session_ids = {r.session_id for r in requests}
    person_ids = {r.person_id for r in requests}
    sessions = Session.objects.filter(pk__in=session_ids)
    if write:
        sessions = sessions.select_for_update().order_by("pk")
    sessions = {s.pk: s for s in sessions}
    visible = set(
        Session.objects.filter(
            SessionPolicy.readable(actor), pk__in=session_ids
        ).values_list("pk", flat=True)
    )
    managed = {pk: SessionPolicy.can(actor, "manage", s) for pk, s in sessions.items()}
    enrollable, facilitating, existing = set(), set(), {}
    for chunk in batches.chunks(sorted(person_ids)):
        enrollable.update(
            Person.objects.filter(
                EnrolmentPolicy.where(actor, "enrol"), pk__in=chunk
            ).values_list("pk", flat=True)
        )
        facilitating.update(
            Facilitation.objects.filter(
                session_id__in=session_ids, person_id__in=chunk
            ).values_list("session_id", "person_id")
        )
        existing.update(
            ((e.session_id, e.person_id), e)
            for e in Enrolment.objects.filter(
                session_id__in=session_ids, person_id__in=chunk
            )
        )
    confirmed = Counter(
        dict(
            Enrolment.objects.filter(session_id__in=session_ids, status=E.CONFIRMED)
            .values_list("session_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    bookings = _Bookings(person_ids)
    now = timezone.now()
    seen: dict[tuple, int] = {}
    placed, clashes = [], []
    for index, request in enumerate(requests):
        session = sessions.get(request.session_id)
        key = (request.session_id, request.person_id)
        if (
            session is None
            or session.pk not in visible
            or request.person_id not in enrollable
        ):
            outcome.problem(index, "person", NOT_ENROLLABLE)
        elif session.status != S.OPEN:
            outcome.problem(
                index, "session", _("This session is not open for enrolment.")
            )
        elif key in facilitating:
            outcome.problem(index, "person", _("This person facilitates the session."))
        elif key in seen:
            outcome.problem(
                index, "person", _("Same record as row %(row)s.") % {"row": seen[key]}
            )
        elif key in existing and existing[key].status != E.WITHDRAWN:
            seen[key] = request.row
            outcome.unchanged += 1
        elif code := bookings.clash(request.person_id, session):
            clashes.append((index, request.person_id, code))
        else:
            seen[key] = request.row
            enrolment = existing.get(key) or Enrolment(
                session=session, person_id=request.person_id, created_at=now
            )
            enrolment.session, enrolment.updated_at = session, now
            enrolment.waitlisted_at = None
            if session.requires_approval and not managed[session.pk]:
                enrolment.status = E.REGISTERED
            elif confirmed[session.pk] < session.capacity:
                enrolment.status = E.CONFIRMED
                confirmed[session.pk] += 1
            else:
                enrolment.status, enrolment.waitlisted_at = E.WAITLISTED, now
            bookings.add(request.person_id, session)
            placed.append(enrolment)
            outcome.statuses[enrolment.status] += 1
            if enrolment.pk:
                outcome.changed += 1
            else:
                outcome.new += 1
    _report_clashes(outcome, clashes)
    if write and outcome.may_write(keep_valid=keep_valid):
        Enrolment.objects.bulk_create([e for e in placed if not e.pk], batch_size=500)
        Enrolment.objects.bulk_update(
            [e for e in placed if e.pk],
            ["status", "waitlisted_at", "updated_at"],
            batch_size=500,
        )
        audit_many(
            actor, "enrolment.create", ((e, {"status": e.status}) for e in placed)
        )
        outcome.written = True
    return outcome


def _report_clashes(outcome: BatchOutcome, clashes: list[tuple]) -> None:
    """Name the people booked elsewhere on overlapping days (their names read
    once, after the batch)."""
    names = {
        p.pk: str(p)
        for p in Person.objects.filter(pk__in={person for _i, person, _c in clashes})
    }
    for index, person, code in clashes:
        outcome.problem(
            index,
            "person",
            _("%(person)s is already booked in %(session)s on overlapping days.")
            % {"person": names[person], "session": code},
        )
    outcome.problems.sort(key=lambda p: p.line)


def enrolment_create(*, actor, session: Session, person: Person) -> Enrolment:
    """Enrol a person: confirmed, wait-listed, or awaiting approval."""
    outcome = enrolments_bulk_create(
        actor=actor, requests=[EnrolmentRequest(0, session.pk, person.pk)]
    )
    if outcome.problems:
        raise ApplicationError(outcome.problems[0].message)
    if outcome.unchanged:
        raise ApplicationError(_("This person is already enrolled."))
    return Enrolment.objects.get(session=session, person=person)


@transaction.atomic
def enrolment_approve(*, actor, enrolment: Enrolment) -> Enrolment:
    """The coordinator approves a registration: confirmed if a seat is free."""
    session = lock_session(enrolment.session)
    enrolment.refresh_from_db()
    enrolment.session = session
    EnrolmentPolicy.require(actor, "approve", enrolment)
    require(enrolment.status == E.REGISTERED, _("This enrolment awaits no approval."))
    _place(enrolment)
    enrolment.save(update_fields=["status", "waitlisted_at", "updated_at"])
    audit(actor, "enrolment.approve", enrolment, details={"status": enrolment.status})
    return enrolment


@transaction.atomic
def enrolment_confirm(*, actor, enrolment: Enrolment) -> Enrolment:
    """Confirm a registered or wait-listed person when a seat is free."""
    session = lock_session(enrolment.session)
    enrolment.refresh_from_db()
    enrolment.session = session
    EnrolmentPolicy.require(actor, "confirm", enrolment)
    require(
        enrolment.status in (E.REGISTERED, E.WAITLISTED),
        _("Only a registered or wait-listed person can be confirmed."),
    )
    if seats_left(session) <= 0:
        raise ApplicationError(_("The session is full: no seat is left."))
    enrolment.status, enrolment.waitlisted_at = E.CONFIRMED, None
    enrolment.save(update_fields=["status", "waitlisted_at", "updated_at"])
    audit(actor, "enrolment.confirm", enrolment)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: Enrolment) -> Enrolment:
    """Withdraw a person; the seat goes to the first on the waiting list."""
    session = lock_session(enrolment.session)
    enrolment.refresh_from_db()
    enrolment.session = session
    EnrolmentPolicy.require(actor, "withdraw", enrolment)
    require(enrolment.status in Enrolment.ACTIVE, _("This enrolment is already over."))
    enrolment.status, enrolment.waitlisted_at = E.WITHDRAWN, None
    enrolment.save(update_fields=["status", "waitlisted_at", "updated_at"])
    audit(actor, "enrolment.withdraw", enrolment)
    promote_waiting_list(session)
    return enrolment
