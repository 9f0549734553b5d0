"""Assigning trainers from the session page: found by name, not listed in full.

Nationally the programme's certified trainers are thousands: a list of all of
them took seconds to draw and could not be read. The page asks for a name and
shows the few who match, each with its role and its button.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.training import services
from relais.training.models import Facilitation
from relais.training.selectors import TRAINERS_FOUND

from .conftest import make_person, plan

DAY = datetime.date(2026, 12, 14)


def page(client, session, search=""):
    url = reverse("training:session", args=[session.pk])
    return client.get(url, {"trainer": search} if search else {})


def offered(content: str, person) -> bool:
    return f'name="person" value="{person.pk}"' in content


def test_a_trainer_is_found_by_name_and_assigned(world, client_for, programme, masters):
    session = plan(world, programme, "FAC-1", DAY)
    client = client_for(world.coord_souss)
    assign = reverse("training:facilitation_add", args=[session.pk])
    assert 'name="person"' not in page(client, session).content.decode()
    found = page(client, session, "master b").content.decode()
    assert offered(found, masters[1]) and not offered(found, masters[0])
    response = client.post(assign, {"person": masters[1].pk, "role": "lead"})
    assert response.status_code == 302
    assert session.facilitations.get().person == masters[1]
    # Once on the session, a trainer is no longer offered.
    assert not offered(page(client, session, "master b").content.decode(), masters[1])
    nobody = page(client, session, "nobody").content.decode()
    assert 'name="person"' not in nobody and 'value="nobody"' in nobody


def test_the_search_shows_a_bounded_number_with_bounded_queries(
    world, client_for, programme, masters
):
    session = plan(world, programme, "FAC-2", DAY)
    client = client_for(world.coord_souss)
    with CaptureQueriesContext(connection) as two:
        page(client, session, "master")
    for name in "CDEFGHIJKLMNOPQRSTUVWXYZ":
        person = make_person(world, "Master", name, world.ministry)
        services.master_trainer_certify(
            actor=world.national_admin,
            person=person,
            programme=programme,
            certified_on=datetime.date(2026, 1, 10),
        )
    with CaptureQueriesContext(connection) as many:
        content = page(client, session, "master").content.decode()
    assert len(many) == len(two)
    assert content.count('name="person"') == TRAINERS_FOUND < 26
    assert not Facilitation.objects.filter(session=session).exists()
