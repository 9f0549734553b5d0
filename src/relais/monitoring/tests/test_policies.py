"""CascadePolicy and TargetPolicy in the one shape of relais.core.access."""

import datetime

import pytest

from relais.core.errors import ApplicationError
from relais.monitoring.models import Target
from relais.monitoring.policies import CascadePolicy, TargetPolicy
from relais.territory.models import Territory

pytestmark = pytest.mark.django_db


def test_who_reads_the_figures_and_the_report(world):
    for user in (world.national_admin, world.coord_souss, world.me_national):
        assert CascadePolicy.can(user, "read") and CascadePolicy.can(user, "report")
    assert not CascadePolicy.can(world.manager_agadir, "read")
    assert CascadePolicy.sees_people(world.coord_souss)
    assert not CascadePolicy.sees_people(world.me_national)


def test_only_the_programme_unit_sets_targets(world):
    region = Territory.objects.get(code="09")
    target = Target(
        territory=region,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        people=10,
    )
    assert TargetPolicy.can(world.national_admin, "manage")
    assert TargetPolicy.can(world.national_admin, "manage", target)
    assert not TargetPolicy.can(world.coord_souss, "manage")
    with pytest.raises(ApplicationError) as refused:
        TargetPolicy.require(world.coord_souss, "manage", target)
    assert refused.value.messages == [str(TargetPolicy.actions["manage"])]
    places = Territory.objects.filter(TargetPolicy.territories(world.national_admin))
    assert region in places
    assert not Territory.objects.filter(
        TargetPolicy.territories(world.coord_souss)
    ).exists()
