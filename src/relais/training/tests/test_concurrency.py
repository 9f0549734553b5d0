"""Two coordinators confirm the last seat at the same moment: one gets it.

Runs on PostgreSQL, where two connections really do race; SQLite serialises every
write transaction and cannot show the race.
"""

import datetime
import threading

import pytest
from django.db import connection, connections

from relais.core.errors import ApplicationError
from relais.training import services
from relais.training.models import Enrolment

from .conftest import make_person, open_session, plan

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_last_seat_goes_to_exactly_one(world, programme):
    session = open_session(
        world, plan(world, programme, "REL-C", datetime.date(2026, 12, 7), capacity=2)
    )
    people = [make_person(world, f"P{i}", "Souss") for i in range(4)]
    enrolments = [
        services.enrolment_create(actor=world.coord_souss, session=session, person=p)
        for p in people
    ]
    # Two seats, two confirmed, two waiting: free exactly one seat, then let the
    # two waiting people be confirmed at the same moment by two coordinators.
    Enrolment.objects.filter(pk=enrolments[1].pk).update(
        status=Enrolment.Status.WAITLISTED
    )
    waiting = enrolments[2:]
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm(enrolment, actor):
        try:
            barrier.wait(timeout=10)
            services.enrolment_confirm(actor=actor, enrolment=enrolment)
            outcomes.append("confirmed")
        except ApplicationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=confirm, args=(waiting[0], world.coord_souss)),
        threading.Thread(target=confirm, args=(waiting[1], world.national_admin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["confirmed", "full"]
    confirmed = Enrolment.objects.filter(
        session=session, status=Enrolment.Status.CONFIRMED
    ).count()
    assert confirmed == session.capacity
