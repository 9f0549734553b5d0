"""Every list page costs the same number of queries for 10 rows as for 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.accounts.models import RoleMembership, User
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.people.models import Affiliation, Person


def add_organisations(world, n):
    parent = world.centre_agadir
    Organisation.objects.bulk_create(
        Organisation(
            code=f"BULK-{n}-{i}",
            kind=Organisation.Kind.ASSOCIATION,
            name_fr=f"Association {i}",
            parent=parent,
            territory=parent.territory,
            territory_path=parent.territory_path,
            path=f"{parent.path}b{n}x{i}/",
        )
        for i in range(n)
    )


def add_people(world, n):
    people = Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name="Bulk", search_key=" p bulk ")
        for i in range(n)
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organisation=world.centre_agadir) for p in people
    )


def add_accounts(world, n):
    users = User.objects.bulk_create(User(username=f"bulk{n}-{i}") for i in range(n))
    RoleMembership.objects.bulk_create(
        RoleMembership(user=u, role=Role.TRAINER, organisation=world.centre_agadir)
        for u in users
    )


def add_audit_events(world, n):
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=world.coord_souss, action="bulk.test", territory_path="MA/09/")
        for _ in range(n)
    )


LISTS = [
    ("organisations:list", add_organisations, {}),
    ("organisations:list", add_organisations, {"q": "Association"}),
    ("people:list", add_people, {}),
    ("people:list", add_people, {"q": "bulk"}),
    ("accounts:list", add_accounts, {}),
    ("audit", add_audit_events, {}),
    ("territory:list", None, {"level": "commune"}),
    ("home", add_people, {}),
]


def queries_for(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "grow", "params"), LISTS)
def test_list_query_count_does_not_grow_with_the_data(
    world, client_for, name, grow, params
):
    client = client_for(world.national_admin)
    url = reverse(name)
    if grow:
        grow(world, 10)
    small = queries_for(client, url, params)
    if grow:
        grow(world, 1000)
    large = queries_for(client, url, params)
    assert small == large, f"{name}: {small} queries for 10 rows, {large} for 1,000"
    assert large <= 12
