"""PersonPolicy in the one shape of relais.core.access: rows, actions, sets."""

import pytest

from relais.core.errors import ApplicationError
from relais.people.models import Person
from relais.people.policies import PersonPolicy

pytestmark = pytest.mark.django_db


def test_a_coordinator_reads_and_changes_the_people_of_their_region_only(world):
    coord = world.coord_souss
    readable = set(Person.objects.filter(PersonPolicy.readable(coord)))
    editable = set(Person.objects.filter(PersonPolicy.where(coord, "edit")))
    assert world.person_agadir in readable and world.person_agadir in editable
    assert world.person_oujda not in readable | editable
    assert PersonPolicy.can(coord, "view", world.person_agadir)
    assert PersonPolicy.can(coord, "edit", world.person_agadir)
    assert not PersonPolicy.can(coord, "edit", world.person_oujda)
    # Without a person: whether to offer the pages and buttons at all.
    assert PersonPolicy.can(coord, "view") and PersonPolicy.can(coord, "edit")
    assert not PersonPolicy.can(world.trainer_agadir, "view")


def test_identifiers_in_full_and_affiliations_follow_their_own_permissions(world):
    """A focal point edits the association's people but reads their CIN masked."""
    focal = world.focal_association
    person = world.person_association
    assert PersonPolicy.can(focal, "edit", person)
    assert not PersonPolicy.can(focal, "view_identifiers", person)
    assert PersonPolicy.can(world.coord_souss, "view_identifiers", person)
    assert PersonPolicy.can(focal, "affiliate", world.association_agadir)
    assert not PersonPolicy.can(focal, "affiliate", world.centre_agadir)


def test_a_refusal_says_why_and_an_unknown_action_is_a_bug(world):
    with pytest.raises(ApplicationError) as refused:
        PersonPolicy.require(world.coord_souss, "edit", world.person_oujda)
    assert refused.value.messages == [str(PersonPolicy.actions["edit"])]
    with pytest.raises(ValueError):
        PersonPolicy.can(world.coord_souss, "delete", world.person_agadir)
