"""Writing people in bulk keeps the rules of the person pages."""

import pytest

from relais.core.errors import ApplicationError
from relais.people import bulk
from relais.people.models import Affiliation, Person


def record(first, last, cin=""):
    values = dict.fromkeys(bulk.RECORD, "")
    values.update(
        first_name=first,
        last_name=last,
        birth_date=None,
        birth_year=None,
        residence_id=None,
        cin=cin,
        digest=None,
    )
    return tuple(values[name] for name in bulk.RECORD)


@pytest.mark.parametrize(
    ("change", "affiliate"),
    [("update", False), ("affiliate", True)],
)
def test_people_out_of_the_actors_reach_are_never_changed_or_affiliated(
    world, change, affiliate
):
    """The Souss coordinator may not touch the Dakhla person, however the
    request is put together: nothing at all is written."""
    dakhla = world.person_dakhla
    people, affiliations = Person.objects.count(), Affiliation.objects.count()
    with pytest.raises(ApplicationError):
        bulk.people_bulk_write(
            actor=world.coord_souss,
            organisation=world.centre_agadir,
            new=[record("Nouvelle", "Personne")],
            updates=[] if affiliate else [(dakhla.pk, {"phone": "+212661000000"})],
            affiliate={dakhla.pk} if affiliate else set(),
        )
    assert (Person.objects.count(), Affiliation.objects.count()) == (
        people,
        affiliations,
    )
    assert Person.objects.get(pk=dakhla.pk).phone == dakhla.phone


def test_people_go_only_into_an_organisation_the_actor_may_affiliate_to(world):
    with pytest.raises(ApplicationError):
        bulk.people_bulk_write(
            actor=world.coord_souss,
            organisation=world.centre_oujda,
            new=[record("Nouvelle", "Personne")],
            updates=[],
            affiliate=set(),
        )
    assert not Person.objects.filter(first_name="Nouvelle").exists()


def test_new_people_are_written_with_their_affiliation(world):
    counts = bulk.people_bulk_write(
        actor=world.coord_souss,
        organisation=world.centre_agadir,
        new=[record("Nouvelle", "Personne")],
        updates=[(world.person_agadir.pk, {"email": "m@example.ma"})],
        affiliate={world.person_agadir.pk},
    )
    assert counts == {"inserted": 1, "updated": 1}
    person = Person.objects.get(first_name="Nouvelle")
    assert list(person.affiliations.values_list("organisation", flat=True)) == [
        world.centre_agadir.pk
    ]
    assert Person.objects.get(pk=world.person_agadir.pk).email == "m@example.ma"
