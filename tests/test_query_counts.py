"""Every list page costs the same number of queries for 10 rows as for 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.accounts.models import RoleMembership, User
from relais.core.models import AuditEvent
from relais.core.roles import Role
from relais.hub.models import DataRequest, Need, Referral, Service, Visit
from relais.imports.models import ImportJob
from relais.organisations.models import Organisation
from relais.people.models import Affiliation, Person
from relais.training.models import (
    Attendance,
    Certification,
    CurriculumKit,
    Enrolment,
    Facilitation,
    Instrument,
    Programme,
    Result,
    Session,
)


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


def programme_and_kit():
    programme, _ = Programme.objects.get_or_create(code="Q", defaults={"title_fr": "Q"})
    kit, _ = CurriculumKit.objects.get_or_create(
        programme=programme, version="1", defaults={"released_on": "2026-06-01"}
    )
    return programme, kit


def add_sessions(world, n):
    programme, kit = programme_and_kit()
    venue = world.centre_agadir
    sessions = Session.objects.bulk_create(
        Session(
            programme=programme,
            kit=kit,
            code=f"Q-{n}-{i}",
            title="Q",
            level="relay",
            venue=venue,
            start_date="2026-12-07",
            end_date="2026-12-08",
            capacity=10,
            territory_path=venue.territory_path,
            organisation_path=venue.path,
        )
        for i in range(n)
    )
    Facilitation.objects.bulk_create(
        Facilitation(session=s, person=world.person_agadir, role="lead")
        for s in sessions
    )


def add_certifications(world, n):
    add_people(world, n)
    programme, _ = programme_and_kit()
    Certification.objects.bulk_create(
        Certification(
            person=person,
            programme=programme,
            level="relay_trainer",
            status="candidate",
            territory_path="MA/09/09.001/",
        )
        for person in Person.objects.filter(
            certifications__isnull=True, last_name="Bulk"
        )
    )


def enrol_page(world):
    programme, kit = programme_and_kit()
    session, _ = Session.objects.get_or_create(
        code="ENROL",
        defaults={
            "programme": programme,
            "kit": kit,
            "title": "E",
            "level": "relay",
            "venue": world.centre_agadir,
            "start_date": "2026-12-07",
            "end_date": "2026-12-07",
            "capacity": 10,
            "status": "open",
            "territory_path": world.centre_agadir.territory_path,
            "organisation_path": world.centre_agadir.path,
        },
    )
    return {"pk": session.pk}


def add_participants(world, n):
    """Confirmed participants with attendance and a score, in the enrol session."""
    session = Session.objects.get(code="ENROL")
    add_people(world, n)
    people = Person.objects.filter(last_name="Bulk", enrolments__isnull=True)
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(session=session, person=p, status="confirmed") for p in people
    )
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, date=session.start_date, present=True)
        for e in enrolments
    )
    instrument, _ = Instrument.objects.get_or_create(
        programme=session.programme, kind="post_test"
    )
    Result.objects.bulk_create(
        Result(enrolment=e, instrument=instrument, score=15) for e in enrolments
    )


def add_visits(world, n):
    centre = world.centre_dakhla
    visits = Visit.objects.bulk_create(
        Visit(
            centre=centre,
            recorded_by=world.agent_dakhla,
            channel="walk_in",
            territory_path=centre.territory_path,
            organisation_path=centre.path,
        )
        for _ in range(n)
    )
    need = Need.objects.first()
    Visit.needs.through.objects.bulk_create(
        Visit.needs.through(visit=v, need=need) for v in visits
    )
    return visits


def add_referrals(world, n):
    service, _ = Service.objects.get_or_create(
        label_fr="Q",
        provider=world.association_agadir,
        defaults={
            "territory_path": world.association_agadir.territory_path,
            "organisation_path": world.association_agadir.path,
        },
    )
    Referral.objects.bulk_create(
        Referral(
            visit=visit,
            service=service,
            created_by=world.agent_dakhla,
            status="sent",
            territory_path=visit.territory_path,
            organisation_path=visit.organisation_path,
            to_territory_path=service.territory_path,
            to_organisation_path=service.organisation_path,
        )
        for visit in add_visits(world, n)
    )


def add_services(world, n):
    provider = world.association_agadir
    services = Service.objects.bulk_create(
        Service(
            label_fr=f"S{i}",
            provider=provider,
            territory_path=provider.territory_path,
            organisation_path=provider.path,
        )
        for i in range(n)
    )
    need = Need.objects.first()
    Service.needs.through.objects.bulk_create(
        Service.needs.through(service=s, need=need) for s in services
    )


def add_data_requests(world, n):
    DataRequest.objects.bulk_create(
        DataRequest(
            person=world.person_dakhla,
            kind="access",
            received_on="2026-11-02",
            due_on="2026-12-02",
            territory_path="MA/12/",
        )
        for _ in range(n)
    )


def add_import_jobs(world, n):
    for organisation, user in (
        (world.centre_agadir, world.manager_agadir),
        (world.centre_oujda, world.coord_oriental),
    ):
        ImportJob.objects.bulk_create(
            ImportJob(
                created_by=user,
                organisation=organisation,
                original_name=f"beneficiaires-{i}.xlsx",
                status=ImportJob.Status.DONE,
                rows=300_000,
                territory_path=organisation.territory_path,
                organisation_path=organisation.path,
            )
            for i in range(n)
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
    ("training:sessions", add_sessions, {}),
    ("training:sessions", add_sessions, {"q": "Q"}),
    ("training:certifications", add_certifications, {"status": "candidate"}),
    ("training:enrol", add_people, {}),
    ("training:session", add_participants, {}),
    ("training:results", add_participants, {}),
    ("hub:visits", add_visits, {}),
    ("hub:desk", add_visits, {}),
    ("hub:dashboard", add_referrals, {}),
    ("hub:referrals", add_referrals, {}),
    ("hub:referrals", add_referrals, {"box": "received"}),
    ("hub:services", add_services, {}),
    ("hub:data_requests", add_data_requests, {}),
    ("imports:list", add_import_jobs, {}),
]
URL_KWARGS = {
    "training:enrol": enrol_page,
    "training:session": enrol_page,
    "training:results": enrol_page,
}


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
    url = reverse(name, kwargs=URL_KWARGS[name](world) if name in URL_KWARGS else None)
    if grow:
        grow(world, 10)
    # A first request creates what is made once (settings rows, caches).
    client.get(url, params)
    small = queries_for(client, url, params)
    if grow:
        grow(world, 1000)
    large = queries_for(client, url, params)
    assert small == large, f"{name}: {small} queries for 10 rows, {large} for 1,000"
    assert large <= 16
