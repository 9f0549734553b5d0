"""The training policies: one shape, one rule per action, whichever way it is asked.

A rule asked of one object (`can`) and of a set (`where`, `readable`) must agree,
and a service refuses with the message of the policy's action.
"""

import pytest
from django.utils import translation

from relais.core.errors import ApplicationError
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.training import services
from relais.training.models import Certification, Enrolment, Session
from relais.training.policies import (
    CertificationPolicy,
    EnrolmentPolicy,
    ProgrammePolicy,
    SessionPolicy,
)

from .conftest import TODAY, make_person, open_session, plan

POLICIES = [ProgrammePolicy, SessionPolicy, EnrolmentPolicy, CertificationPolicy]
CAST = [
    "national_admin",
    "coord_souss",
    "coord_oriental",
    "manager_agadir",
    "trainer_agadir",
    "agent_dakhla",
    "focal_association",
    "auditor_national",
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.__name__)
def test_every_action_has_its_rule_and_an_unknown_one_is_an_error(policy):
    for action in policy.actions:
        assert callable(getattr(policy, f"_can_{action}"))
    with pytest.raises(ValueError):
        policy.can(None, "no_such_action")


def test_where_a_session_may_be_planned_agrees_with_each_venue(world):
    for name in CAST:
        user = world.users[name]
        where = set(
            Organisation.objects.filter(SessionPolicy.where(user, "plan")).values_list(
                "pk", flat=True
            )
        )
        for venue in Organisation.objects.all():
            assert (venue.pk in where) == SessionPolicy.can(user, "plan", venue), (
                name,
                venue,
            )
        # Anywhere at all: exactly when some venue is plannable.
        assert SessionPolicy.can(user, "plan") == bool(where), name


def test_who_may_be_enrolled_agrees_person_by_person(world):
    for name in CAST:
        user = world.users[name]
        where = set(
            Person.objects.filter(EnrolmentPolicy.where(user, "enrol")).values_list(
                "pk", flat=True
            )
        )
        for person in Person.objects.all():
            assert (person.pk in where) == EnrolmentPolicy.can(user, "enrol", person), (
                name,
                person,
            )


def test_the_certifications_read_are_those_decided_on(world, programme, masters):
    candidate = Certification.objects.create(
        person=make_person(world, "Candidate", "Souss"),
        programme=programme,
        level=Certification.Level.RELAY_TRAINER,
        status=Certification.Status.CANDIDATE,
        territory_path=world.centre_agadir.territory_path,
    )
    for name in CAST:
        user = world.users[name]
        readable = set(
            Certification.objects.filter(
                CertificationPolicy.readable(user)
            ).values_list("pk", flat=True)
        )
        for certification in (candidate, *Certification.objects.all()):
            assert (certification.pk in readable) == CertificationPolicy.can(
                user, "decide", certification
            ), (name, certification)


@translation.override("en")
def test_services_refuse_with_the_policys_message(world, programme):
    """The refusals read as they always have (the msgids are unchanged)."""
    session = open_session(world, plan(world, programme, "POL-1", TODAY))
    outsider = world.coord_oriental
    with pytest.raises(ApplicationError) as refused:
        services.session_set_status(
            actor=outsider, session=session, status=Session.Status.CANCELLED
        )
    assert refused.value.messages == ["You cannot change this session."]
    with pytest.raises(ApplicationError) as refused:
        services.programme_update(actor=world.coord_souss, programme=programme)
    assert refused.value.messages == ["Only the programme unit manages programmes."]
    enrolment = services.enrolment_create(
        actor=world.coord_souss,
        session=session,
        person=make_person(world, "Pupil", "Souss"),
    )
    assert enrolment.status == Enrolment.Status.CONFIRMED
    for service, message in [
        (services.enrolment_confirm, "You cannot confirm enrolments here."),
        (services.enrolment_approve, "You cannot approve enrolments here."),
        (services.enrolment_withdraw, "You cannot withdraw this person."),
    ]:
        with pytest.raises(ApplicationError) as refused:
            service(actor=outsider, enrolment=enrolment)
        assert refused.value.messages == [message]
