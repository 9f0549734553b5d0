"""A session's participants are named only to those who may see them.

The session page lists names (and links to people and their certificates) to
those who run or record the session and to those who may see each person;
others with access to the session see how many take part, not who. A
completion certificate names a person: it is served on the same terms.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.training import services
from tests.cast import build_training

from .conftest import make_person, open_session, plan

NAMES = ["Pilot1 Souss", "Pilot2 Souss", "Pilot3 Souss"]


def session_page(client, session):
    return client.get(reverse("training:session", args=[session.pk]))


def test_those_who_may_not_see_people_see_counts_only(world, client_for, story):
    """The M&E officer sees the closed pilot session and that three took part."""
    tot = story["tot"][story["p1"]].session
    response = session_page(client_for(world.me_national), tot)
    content = response.content.decode()
    assert response.status_code == 200
    assert not [name for name in NAMES if name in content]
    assert reverse("training:person_history", args=[story["p1"].pk]) not in content
    enrolment = story["tot"][story["p1"]]
    assert (
        reverse("training:completion_certificate", args=[tot.pk, enrolment.pk])
        not in content
    )
    assert response.context["hidden_count"] == 3
    assert "3" in content


@pytest.mark.parametrize(
    "reader", ["coord_souss", "manager_agadir", "auditor_national"]
)
def test_those_who_run_the_session_or_see_the_people_see_names(
    world, client_for, story, reader
):
    tot = story["tot"][story["p1"]].session
    response = session_page(client_for(world.users[reader]), tot)
    content = response.content.decode()
    assert all(name in content for name in NAMES)
    assert response.context["hidden_count"] == 0


def test_a_focal_point_sees_the_names_of_its_own_people_only(
    world, client_for, programme
):
    """In an open session of the region, the association's focal point sees its
    staff by name and the others as a count, at a cost that does not grow."""
    session = open_session(
        world, plan(world, programme, "OPEN-1", datetime.date(2026, 12, 7))
    )
    session.capacity = 20
    session.save(update_fields=["capacity"])
    staff = make_person(world, "Staff", "Association", world.association_agadir)
    others = [make_person(world, f"Other{i}", "Centre") for i in range(2)]
    for person in [staff, *others]:
        services.enrolment_create(
            actor=world.national_admin, session=session, person=person
        )
    client = client_for(world.focal_association)

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = session_page(client, session)
        return response, len(queries)

    response, cost = page()
    content = response.content.decode()
    assert "Staff Association" in content
    assert "Other0 Centre" not in content and "Other1 Centre" not in content
    assert response.context["hidden_count"] == 2
    for i in range(2, 8):
        services.enrolment_create(
            actor=world.national_admin,
            session=session,
            person=make_person(world, f"Other{i}", "Centre"),
        )
    response, more = page()
    assert response.context["hidden_count"] == 8
    assert more == cost


def test_a_completion_certificate_is_for_those_who_may_see_the_person(
    world, client_for, story
):
    """Served to the session's managers and to those who may see the person; a
    404 for the M&E officer, who sees the session but not the people."""
    enrolment = story["tot"][story["p1"]]
    url = reverse(
        "training:completion_certificate", args=[enrolment.session_id, enrolment.pk]
    )
    assert client_for(world.me_national).get(url).status_code == 404
    for reader in ("coord_souss", "manager_agadir", "auditor_national"):
        response = client_for(world.users[reader]).get(url)
        assert response.status_code == 200, reader
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "reader", ["coord_souss", "manager_agadir", "auditor_national"]
)
def test_every_name_a_session_page_links_opens(world, client_for, story, reader):
    """The session's lead is a master trainer of the ministry, outside the
    region's people: named, but linked only for those who may open their page."""
    tot = story["tot"][story["p1"]].session
    client = client_for(world.users[reader])
    content = session_page(client, tot).content.decode()
    links = set(re.findall(r'href="(/training/(?:trainers|people)/\d+/)"', content))
    assert [link for link in links if client.get(link).status_code != 200] == []
    lead = reverse("training:trainer", args=[story["a"].pk])
    assert str(story["a"]) in content
    assert (lead in links) == (client.get(lead).status_code == 200)


@pytest.mark.parametrize("reader", ["coord_souss", "manager_agadir", "trainer_agadir"])
def test_every_session_a_training_history_links_opens(world, client_for, reader):
    """The trainer of Agadir also leads a session in Oriental: their history
    names it, linked only for those who may open it."""
    training = build_training(world)
    trainer = training["trainer"]
    client = client_for(world.users[reader])
    response = client.get(reverse("training:person_history", args=[trainer.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    links = set(re.findall(r'href="(/training/sessions/\d+/)"', content))
    assert [link for link in links if client.get(link).status_code != 200] == []
    oriental = training["session_oriental"]
    assert oriental.code in content
    assert (reverse("training:session", args=[oriental.pk]) in links) == (
        client.get(reverse("training:session", args=[oriental.pk])).status_code == 200
    )
