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
