"""A CIN already held by someone the actor may not see: a neutral answer, limited
per user and audited, so that the form cannot tell where a CIN exists."""

import pytest

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.people import services
from relais.people.models import Person
from relais.people.services import person_create, person_update


def create(actor, organisation, cin):
    return person_create(
        actor=actor,
        organisation=organisation,
        first_name="Hicham",
        last_name="Tazi",
        cin=cin,
    )


def cin_error(error) -> str:
    return " ".join(str(m) for m in error.value.message_dict["cin"])


def test_inside_the_actors_view_a_taken_cin_is_said_plainly(world):
    """Someone who may read the holder's CIN in full learns nothing new: the
    message stays precise, and nothing is held against them."""
    with pytest.raises(ApplicationError) as error:
        create(world.coord_souss, world.centre_agadir, "JB123456")
    assert cin_error(error) == str(services.CIN_TAKEN)
    assert not AuditEvent.objects.filter(action="person.cin_refused").exists()


@pytest.mark.parametrize(
    ("actor", "organisation"),
    [
        ("coord_oriental", "centre_oujda"),
        # Reads the holder, but only masked: no hint from which to guess the CIN.
        ("focal_association", "association_agadir"),
    ],
)
def test_outside_it_the_answer_is_neutral_and_audited(world, actor, organisation):
    holder = world.person_association
    people = Person.objects.count()
    with pytest.raises(ApplicationError) as error:
        create(world.users[actor], world.orgs[organisation], "j111222")
    message = cin_error(error)
    assert message == str(services.CIN_REFUSED)
    assert "already" not in message
    assert Person.objects.count() == people
    event = AuditEvent.objects.get(action="person.cin_refused")
    assert event.actor == world.users[actor]
    assert event.target_id == str(holder.pk)
    assert "J111222" not in str(event.details) + event.target_label
    assert "111222" not in str(event.details)


def test_an_update_gets_the_same_neutral_answer(world):
    person = world.person_oujda
    with pytest.raises(ApplicationError) as error:
        person_update(
            actor=world.coord_oriental,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
            cin="JB123456",
        )
    assert cin_error(error) == str(services.CIN_REFUSED)
    person.refresh_from_db()
    assert person.cin_clear() == "F654321"
    assert AuditEvent.objects.filter(
        action="person.cin_refused", actor=world.coord_oriental
    ).exists()


def test_after_a_few_refusals_in_an_hour_no_cin_is_checked_at_all(world, settings):
    """Past the limit every CIN gets the same answer, free or taken, so that
    trying goes no further; other users are not affected."""
    settings.RELAIS_CIN_REFUSALS_PER_HOUR = 3
    for _ in range(3):
        with pytest.raises(ApplicationError):
            create(world.coord_oriental, world.centre_oujda, "JB123456")
    people = Person.objects.count()
    for cin in ("JB123456", "ZZ999999"):
        with pytest.raises(ApplicationError) as error:
            create(world.coord_oriental, world.centre_oujda, cin)
        assert cin_error(error) == str(services.CIN_TOO_MANY_REFUSALS)
    assert Person.objects.count() == people
    assert AuditEvent.objects.filter(action="person.cin_refused").count() == 3
    # Without a CIN the work goes on; and the coordinator of Souss is not limited.
    create(world.coord_oriental, world.centre_oujda, "")
    create(world.coord_souss, world.centre_agadir, "ZZ999999")
