"""A small programme on top of the cast: one kit, two master trainers."""

import datetime
from decimal import Decimal

import pytest

from relais.people.services import person_create
from relais.training import services
from relais.training.models import (
    Certification,
    Enrolment,
    Facilitation,
    Module,
    Session,
)

F = Facilitation.Role
L = Session.Level

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def programme(world):
    programme = services.programme_create(
        actor=world.national_admin,
        code="PS-NUM",
        title_fr="Compétences numériques et pilotage",
        title_ar="المهارات الرقمية والتدبير",
        min_attendance_percent=80,
        min_post_test_percent=60,
        min_fidelity_percent=75,
        certification_months=24,
    )
    module = services.module_create(
        actor=world.national_admin,
        programme=programme,
        code="M1",
        title_fr="Outils numériques",
        domain=Module.Domain.DIGITAL,
        hours=6,
    )
    services.kit_release(
        actor=world.national_admin,
        programme=programme,
        version="1.0",
        released_on=datetime.date(2026, 6, 1),
        modules=[module],
    )
    return programme


def make_person(world, first, last, organisation=None):
    return person_create(
        actor=world.national_admin,
        organisation=organisation or world.centre_agadir,
        first_name=first,
        last_name=last,
        first_name_ar="",
        last_name_ar="",
    )


@pytest.fixture
def masters(world, programme):
    people = [make_person(world, "Master", name, world.ministry) for name in "AB"]
    for person in people:
        services.master_trainer_certify(
            actor=world.national_admin,
            person=person,
            programme=programme,
            certified_on=datetime.date(2026, 1, 10),
        )
    return people


def plan(world, programme, code, start, days=1, level=Session.Level.RELAY, **extra):
    values = {
        "title": f"Session {code}",
        "level": level,
        "audience": Session.Audience.CADRES,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=days - 1),
        "capacity": 3,
    } | extra
    session = services.session_create(
        actor=extra.pop("actor", world.national_admin),
        programme=programme,
        kit=programme.kits.get(),
        code=code,
        venue=world.centre_agadir,
        **{k: v for k, v in values.items() if k != "actor"},
    )
    return session


def open_session(world, session):
    return services.session_set_status(
        actor=world.national_admin, session=session, status=Session.Status.OPEN
    )


def run_session(world, session, lead, participants, *, scores, absent=(), extra=()):
    """Open, staff, enrol, record attendance and scores, then close."""
    admin = world.national_admin
    open_session(world, session)
    services.facilitation_assign(actor=admin, session=session, person=lead, role=F.LEAD)
    for person, role, fidelity in extra:
        facilitation = services.facilitation_assign(
            actor=admin, session=session, person=person, role=role
        )
        if fidelity is not None:
            services.fidelity_record(
                actor=admin, facilitation=facilitation, percent=Decimal(fidelity)
            )
    enrolments = {
        p: services.enrolment_create(actor=admin, session=session, person=p)
        for p in participants
    }
    services.session_set_status(actor=admin, session=session, status="running")
    for day in session.days:
        services.attendance_save(
            actor=admin,
            session=session,
            day=day,
            absent={enrolments[p].pk for p in absent if day != session.start_date},
        )
    services.results_save(
        actor=admin,
        session=session,
        values={
            (enrolments[p].pk, kind): str(score)
            for p, pair in scores.items()
            for kind, score in zip(("pre_test", "post_test"), pair, strict=True)
        },
    )
    services.session_close(actor=admin, session=session)
    return {p: Enrolment.objects.get(pk=e.pk) for p, e in enrolments.items()}


@pytest.fixture
def story(world, programme, masters):
    a, b = masters
    p1, p2, p3 = (make_person(world, f"Pilot{i}", "Souss") for i in (1, 2, 3))
    q1, r1, r2, s1 = (make_person(world, n, "Souss") for n in ("Q1", "R1", "R2", "S1"))
    admin = world.national_admin
    tot = plan(
        world,
        programme,
        "TOT-1",
        datetime.date(2026, 7, 6),
        days=2,
        level=L.TRAINING_OF_TRAINERS,
    )
    tot_enrolments = run_session(
        world,
        tot,
        a,
        [p1, p2, p3],
        scores={p1: (8, 16), p2: (10, 10), p3: (6, 18)},
        absent=[p3],
    )
    r0 = plan(world, programme, "REL-0", datetime.date(2026, 9, 7))
    run_session(
        world,
        r0,
        b,
        [q1],
        scores={q1: (10, 15)},
        extra=[(p1, F.CO_FACILITATOR, 80), (a, F.OBSERVER, None)],
    )
    p1_cert = Certification.objects.get(person=p1)
    services.certification_certify(actor=world.coord_souss, certification=p1_cert)
    r1_session = plan(world, programme, "REL-1", datetime.date(2026, 10, 5))
    run_session(world, r1_session, p1, [r1, r2], scores={r1: (9, 17), r2: (9, 9)})
    r2_session = plan(world, programme, "REL-2", datetime.date(2026, 10, 19))
    run_session(
        world,
        r2_session,
        p1,
        [],
        scores={},
        extra=[(r1, F.CO_FACILITATOR, 90), (a, F.OBSERVER, None)],
    )
    services.certification_certify(
        actor=admin, certification=Certification.objects.get(person=r1)
    )
    end_users = plan(
        world,
        programme,
        "EU-1",
        datetime.date(2026, 11, 9),
        level=L.END_USER,
        audience=Session.Audience.BENEFICIARIES,
    )
    run_session(world, end_users, r1, [s1], scores={s1: (4, 14)})
    return {
        "a": a,
        "b": b,
        "p1": p1,
        "p2": p2,
        "p3": p3,
        "q1": q1,
        "r1": r1,
        "r2": r2,
        "s1": s1,
        "tot": tot_enrolments,
    }
