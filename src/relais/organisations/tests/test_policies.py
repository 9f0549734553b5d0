"""OrganisationPolicy in the one shape of relais.core.access."""

import pytest

from relais.core.errors import ApplicationError
from relais.organisations.models import Organisation
from relais.organisations.policies import OrganisationPolicy, Placement
from relais.territory.models import Territory

pytestmark = pytest.mark.django_db


def test_a_coordinator_changes_and_places_organisations_in_their_region(world):
    coord = world.coord_souss
    editable = set(Organisation.objects.filter(OrganisationPolicy.where(coord, "edit")))
    assert world.centre_agadir in editable and world.centre_oujda not in editable
    assert OrganisationPolicy.can(coord, "edit", world.centre_agadir)
    assert not OrganisationPolicy.can(coord, "edit", world.centre_oujda)
    assert OrganisationPolicy.can(coord, "edit")
    assert not OrganisationPolicy.can(world.trainer_agadir, "edit")
    agadir = Territory.objects.get(code="09.001")
    oujda = Territory.objects.get(code="02.411")
    assert OrganisationPolicy.can(coord, "place", Placement(world.en_souss, agadir))
    with pytest.raises(ApplicationError) as refused:
        OrganisationPolicy.require(coord, "place", Placement(None, oujda))
    assert refused.value.messages == [str(OrganisationPolicy.actions["place"])]


def test_readable_organisations_are_the_readers_scope(world):
    readable = set(
        Organisation.objects.filter(OrganisationPolicy.readable(world.coord_souss))
    )
    assert world.centre_agadir in readable and world.centre_oujda not in readable
