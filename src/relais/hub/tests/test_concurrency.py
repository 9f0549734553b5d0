"""Two agents accept the same referral at the same moment: one wins.

Runs on PostgreSQL, where the two connections really race; SQLite serialises
every write transaction and cannot show it.
"""

import threading

import pytest
from django.db import connection, connections

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.hub import services
from relais.hub.models import Referral
from tests.cast import make_user

from .conftest import referral_to

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_simultaneous_acceptances_give_one_winner(world, hub):
    referral = referral_to(world, hub, hub["e_services"])
    services.referral_send(actor=world.agent_dakhla, referral=referral)
    second_agent = make_user("agent2", Role.HUB_AGENT, organisation=world.centre_dakhla)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(actor):
        try:
            barrier.wait(timeout=10)
            services.referral_accept(actor=actor, referral=referral)
            outcomes.append("accepted")
        except ApplicationError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(agent,))
        for agent in (world.agent_dakhla, second_agent)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("accepted") == 1
    loser = next(o for o in outcomes if o != "accepted")
    assert str(Referral.Status.ACCEPTED.label) in loser
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="referral.accept").count() == 1
