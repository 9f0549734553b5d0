"""Enrolment: seats, the waiting list, approval, overlaps and scope."""

import datetime

import pytest

from relais.core.errors import ApplicationError
from relais.training import services
from relais.training.models import Enrolment, Session

from .conftest import make_person, open_session, plan

E = Enrolment.Status
DAY = datetime.date(2026, 12, 7)


@pytest.fixture
def session(world, programme):
    return open_session(world, plan(world, programme, "REL-1", DAY, days=2))


def people(world, n):
    return [make_person(world, f"P{i}", "Souss") for i in range(n)]


def enrol(world, session, person, actor=None):
    return services.enrolment_create(
        actor=actor or world.coord_souss, session=session, person=person
    )


def test_seats_are_confirmed_then_people_wait_in_order(world, session):
    first, second, third, fourth, fifth = people(world, 5)
    statuses = [
        enrol(world, session, p).status for p in (first, second, third, fourth, fifth)
    ]
    assert statuses == [
        E.CONFIRMED,
        E.CONFIRMED,
        E.CONFIRMED,
        E.WAITLISTED,
        E.WAITLISTED,
    ]
    assert services.seats_left(session) == 0


def test_a_freed_seat_goes_to_the_first_on_the_waiting_list(world, session):
    crowd = people(world, 5)
    enrolments = [enrol(world, session, p) for p in crowd]
    services.enrolment_withdraw(actor=world.coord_souss, enrolment=enrolments[0])
    statuses = {e.person_id: e.status for e in session.enrolments.all()}
    assert statuses[crowd[3].pk] == E.CONFIRMED
    assert statuses[crowd[4].pk] == E.WAITLISTED
    assert statuses[crowd[0].pk] == E.WITHDRAWN


def test_raising_the_capacity_promotes_the_waiting_list(world, session):
    crowd = people(world, 5)
    for p in crowd:
        enrol(world, session, p)
    services.session_update(
        actor=world.coord_souss,
        session=session,
        venue=session.venue,
        kit=session.kit,
        capacity=4,
    )
    assert session.enrolments.filter(status=E.CONFIRMED).count() == 4
    with pytest.raises(ApplicationError):
        services.session_update(
            actor=world.coord_souss,
            session=session,
            venue=session.venue,
            kit=session.kit,
            capacity=2,
        )


def test_approval_is_needed_when_the_session_asks_for_it(world, programme):
    session = open_session(
        world, plan(world, programme, "REL-A", DAY, requires_approval=True)
    )
    person = people(world, 1)[0]
    enrolment = enrol(world, session, person, actor=world.manager_agadir)
    assert enrolment.status == E.REGISTERED
    with pytest.raises(ApplicationError):
        services.enrolment_approve(actor=world.manager_agadir, enrolment=enrolment)
    enrolment = services.enrolment_approve(actor=world.coord_souss, enrolment=enrolment)
    assert enrolment.status == E.CONFIRMED


def test_a_person_cannot_be_booked_into_overlapping_sessions(world, programme, session):
    other = open_session(
        world, plan(world, programme, "REL-2", DAY + datetime.timedelta(days=1))
    )
    later = open_session(
        world, plan(world, programme, "REL-3", DAY + datetime.timedelta(days=2))
    )
    person = people(world, 1)[0]
    enrol(world, session, person)
    with pytest.raises(ApplicationError) as error:
        enrol(world, other, person)
    assert "REL-1" in str(error.value)
    assert not other.enrolments.exists()
    assert enrol(world, later, person).status == E.CONFIRMED


def test_enrolment_needs_an_open_session(world, programme):
    planned = plan(world, programme, "REL-P", DAY)
    with pytest.raises(ApplicationError):
        enrol(world, planned, people(world, 1)[0])


def test_people_outside_ones_scope_cannot_be_enrolled(world, session):
    with pytest.raises(ApplicationError):
        enrol(world, session, world.person_oujda)
    with pytest.raises(ApplicationError):
        enrol(world, session, world.person_agadir, actor=world.coord_oriental)
    assert not session.enrolments.exists()


def test_focal_points_enrol_their_association_staff(world, session):
    enrolment = enrol(world, session, world.person_association, world.focal_association)
    assert enrolment.status == E.CONFIRMED
    with pytest.raises(ApplicationError):
        enrol(world, session, world.person_agadir, world.focal_association)


def test_a_session_full_refuses_a_manual_confirmation(world, session):
    crowd = people(world, 4)
    enrolments = [enrol(world, session, p) for p in crowd]
    with pytest.raises(ApplicationError) as error:
        services.enrolment_confirm(actor=world.coord_souss, enrolment=enrolments[3])
    assert enrolments[3].status == E.WAITLISTED
    assert "full" in str(error.value) or "complète" in str(error.value)
    assert session.enrolments.filter(status=E.CONFIRMED).count() == 3


def test_status_transitions(world, programme):
    session = plan(world, programme, "REL-S", DAY)
    with pytest.raises(ApplicationError):
        services.session_set_status(
            actor=world.coord_souss, session=session, status=Session.Status.RUNNING
        )
    with pytest.raises(ApplicationError):
        services.session_set_status(
            actor=world.coord_oriental, session=session, status=Session.Status.OPEN
        )
    services.session_set_status(
        actor=world.coord_souss, session=session, status=Session.Status.CANCELLED
    )
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_a_coordinator_plans_only_in_their_region(world, programme):
    with pytest.raises(ApplicationError):
        services.session_create(
            actor=world.coord_oriental,
            programme=programme,
            kit=programme.kits.get(),
            code="X",
            venue=world.centre_agadir,
            title="X",
            level=Session.Level.RELAY,
            start_date=DAY,
            end_date=DAY,
            capacity=10,
        )
    assert not Session.objects.filter(code="X").exists()


def requests_for(session, crowd):
    return [
        services.EnrolmentRequest(row, session.pk, person.pk)
        for row, person in enumerate(crowd, start=2)
    ]


def test_a_batch_confirms_while_seats_last_then_fills_the_waiting_list_in_order(
    world, session
):
    """Capacity 3 and five people: three confirmed, two waiting, in the
    batch's order, and the waiting list keeps that order."""
    crowd = people(world, 5)
    outcome = services.enrolments_bulk_create(
        actor=world.coord_souss, requests=requests_for(session, crowd)
    )
    assert (outcome.new, outcome.statuses) == (5, {E.CONFIRMED: 3, E.WAITLISTED: 2})
    services.enrolment_withdraw(
        actor=world.coord_souss, enrolment=session.enrolments.get(person=crowd[0])
    )
    statuses = dict(session.enrolments.values_list("person_id", "status"))
    assert (statuses[crowd[3].pk], statuses[crowd[4].pk]) == (E.CONFIRMED, E.WAITLISTED)


def test_a_batch_with_a_problem_writes_nothing_unless_the_valid_lines_are_kept(
    world, session
):
    """One person out of scope: the batch writes nothing, or, when asked to
    keep the valid lines, everyone else."""
    crowd = [*people(world, 2), world.person_oujda]
    requests = requests_for(session, crowd)
    outcome = services.enrolments_bulk_create(
        actor=world.coord_souss, requests=requests
    )
    assert [(p.line, p.field) for p in outcome.problems] == [(2, "person")]
    assert not outcome.written and not session.enrolments.exists()
    outcome = services.enrolments_bulk_create(
        actor=world.coord_souss, requests=requests, keep_valid=True
    )
    assert outcome.written and session.enrolments.count() == 2


def test_a_dry_run_of_a_batch_writes_nothing(world, session):
    outcome = services.enrolments_bulk_create(
        actor=world.coord_souss,
        requests=requests_for(session, people(world, 2)),
        write=False,
    )
    assert outcome.new == 2 and not outcome.written
    assert not session.enrolments.exists()


def test_two_overlapping_sessions_in_one_batch_book_a_person_once(
    world, programme, session
):
    other = open_session(world, plan(world, programme, "REL-2", DAY))
    person = make_person(world, "Double", "Souss")
    outcome = services.enrolments_bulk_create(
        actor=world.coord_souss,
        requests=[
            services.EnrolmentRequest(2, session.pk, person.pk),
            services.EnrolmentRequest(3, other.pk, person.pk),
        ],
        keep_valid=True,
    )
    assert [p.line for p in outcome.problems] == [1]
    assert "REL-1" in outcome.problems[0].message
    assert Enrolment.objects.filter(person=person).count() == 1


def test_every_enrolment_of_a_batch_is_audited(world, session):
    from relais.core.models import AuditEvent

    services.enrolments_bulk_create(
        actor=world.coord_souss, requests=requests_for(session, people(world, 4))
    )
    events = AuditEvent.objects.filter(action="enrolment.create")
    assert events.count() == 4
    assert {e.details["status"] for e in events} == {E.CONFIRMED, E.WAITLISTED}
    assert all(e.territory_path == session.territory_path for e in events)
