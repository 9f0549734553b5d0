"""Hub fixtures on top of the cast: services, a supervisor, a visit."""

import pytest

from relais.core.roles import Role
from relais.hub import services
from relais.hub.models import Need, Service
from tests.cast import make_user


@pytest.fixture
def hub(world):
    admin = world.national_admin
    legal_aid = services.service_save(
        actor=admin,
        provider=world.association_agadir,
        needs=[Need.objects.get(code="violence"), Need.objects.get(code="listening")],
        label_fr="Accompagnement juridique",
        label_ar="المواكبة القانونية",
        capacity_per_week=15,
        languages=["ar", "zgh"],
    )
    e_services = services.service_save(
        actor=admin,
        provider=world.centre_dakhla,
        needs=[Need.objects.get(code="digital")],
        label_fr="Aide aux démarches en ligne",
        online=True,
        capacity_per_week=40,
        languages=["ar", "mey", "fr"],
    )
    supervisor = make_user(
        "supervisor_dakhla", Role.HUB_AGENT, organisation=world.centre_dakhla
    )
    services.supervisor_designate(
        actor=admin, centre=world.centre_dakhla, user=supervisor
    )
    visit = services.visit_record(
        actor=world.agent_dakhla,
        centre=world.centre_dakhla,
        channel="walk_in",
        needs=[Need.objects.get(code="violence")],
        sex="F",
        age_group="30-44",
    )
    return {
        "legal_aid": legal_aid,
        "e_services": e_services,
        "supervisor": supervisor,
        "visit": visit,
    }


def referral_to(world, hub, service: Service | None = None):
    return services.referral_create(
        actor=world.agent_dakhla,
        visit=hub["visit"],
        service=service or hub["legal_aid"],
        reason="Besoin d'un accompagnement juridique",
    )
