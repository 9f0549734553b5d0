"""Creating, editing and moving organisations within scope."""

import pytest
from django.utils import translation

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.organisations.models import Organisation
from relais.organisations.services import organisation_create, organisation_update
from relais.territory.models import Territory


def province(code):
    return Territory.objects.get(code=code)


def test_coordinator_creates_a_centre_in_their_region(world):
    centre = organisation_create(
        actor=world.coord_souss,
        code="cs-tiz",
        kind=Organisation.Kind.SOCIAL_CENTRE,
        name_fr="Centre social de Tiznit",
        territory=province("09.581"),
        parent=world.en_souss,
        phone="0528 86 12 34",
    )
    assert centre.code == "CS-TIZ"
    assert centre.path == f"{world.en_souss.path}{centre.pk}/"
    assert centre.territory_path == "MA/09/09.581/"
    assert centre.phone == "+212528861234"
    event = AuditEvent.objects.get(action="organisation.create", target_id=centre.pk)
    assert event.actor == world.coord_souss
    assert event.territory_path == "MA/09/09.581/"


def test_placing_an_organisation_outside_ones_scope_is_refused_and_writes_nothing(
    world,
):
    count, events = Organisation.objects.count(), AuditEvent.objects.count()
    with translation.override("fr"), pytest.raises(ApplicationError) as error:
        organisation_create(
            actor=world.coord_souss,
            code="CS-BERK",
            kind=Organisation.Kind.SOCIAL_CENTRE,
            name_fr="Centre social de Berkane",
            territory=province("02.113"),
        )
    assert "en dehors du territoire que vous gérez" in str(error.value)
    assert Organisation.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_an_organisation_sits_in_a_province_not_a_region(world):
    with pytest.raises(ApplicationError) as error:
        organisation_create(
            actor=world.national_admin,
            code="X",
            kind=Organisation.Kind.ASSOCIATION,
            name_fr="X",
            territory=province("09"),
        )
    assert "territory" in error.value.message_dict


def test_a_bad_phone_number_is_refused(world):
    with pytest.raises(ApplicationError) as error:
        organisation_create(
            actor=world.national_admin,
            code="X",
            kind=Organisation.Kind.ASSOCIATION,
            name_fr="X",
            territory=province("09.001"),
            phone="12345",
        )
    assert "phone" in error.value.message_dict
    assert not Organisation.objects.filter(code="X").exists()


def test_centre_manager_edits_their_centre_but_cannot_move_it(world):
    centre = organisation_update(
        actor=world.manager_agadir,
        organisation=world.centre_agadir,
        parent=world.en_souss,
        territory=world.centre_agadir.territory,
        name_fr="Centre social Agadir — Hay Mohammadi",
    )
    assert centre.name_fr == "Centre social Agadir — Hay Mohammadi"
    with pytest.raises(ApplicationError):
        organisation_update(
            actor=world.manager_agadir,
            organisation=world.centre_agadir,
            parent=world.en_oriental,
            territory=province("02.411"),
        )
    world.centre_agadir.refresh_from_db()
    assert world.centre_agadir.parent == world.en_souss


def test_moving_a_subtree_rewrites_every_path_below(world):
    organisation_update(
        actor=world.national_admin,
        organisation=world.en_souss,
        parent=world.ministry,
        territory=world.en_souss.territory,
    )
    world.centre_agadir.refresh_from_db()
    assert world.centre_agadir.path == (
        f"{world.ministry.path}{world.en_souss.pk}/{world.centre_agadir.pk}/"
    )


def test_an_organisation_cannot_be_placed_below_itself(world):
    with pytest.raises(ApplicationError) as error:
        organisation_update(
            actor=world.national_admin,
            organisation=world.en_souss,
            parent=world.centre_agadir,
            territory=world.en_souss.territory,
        )
    assert "parent" in error.value.message_dict


def test_an_out_of_scope_organisation_cannot_be_edited(world):
    with pytest.raises(ApplicationError):
        organisation_update(
            actor=world.coord_souss,
            organisation=world.centre_oujda,
            parent=world.en_oriental,
            territory=world.centre_oujda.territory,
            name_fr="Pris",
        )
    world.centre_oujda.refresh_from_db()
    assert world.centre_oujda.name_fr != "Pris"


def centre_under(world, actor, parent, code, province_code):
    return organisation_create(
        actor=actor,
        code=code,
        kind=Organisation.Kind.ASSOCIATION,
        name_fr=f"Antenne {code}",
        territory=province(province_code),
        parent=parent,
    )


def test_a_centre_manager_places_a_new_organisation_only_where_the_centre_is(world):
    """Scoped on a centre, a manager may add an organisation below it, in the
    centre's province: not in another region because the parent is theirs."""
    count = Organisation.objects.count()
    with pytest.raises(ApplicationError):
        centre_under(world, world.manager_agadir, world.centre_agadir, "A-1", "02.411")
    with pytest.raises(ApplicationError):
        centre_under(world, world.manager_agadir, world.centre_agadir, "A-2", "09.581")
    assert Organisation.objects.count() == count
    child = centre_under(
        world, world.manager_agadir, world.centre_agadir, "A-3", "09.001"
    )
    assert child.parent == world.centre_agadir


def test_the_territory_lies_within_the_parents_for_everyone(world):
    """A coordination covers its region, a centre or an association its province,
    a central service the country: even a national administrator cannot put a
    centre of Oriental under the coordination of Souss-Massa."""
    with pytest.raises(ApplicationError) as error:
        centre_under(world, world.national_admin, world.en_souss, "X-1", "02.411")
    assert "territory" in error.value.message_dict
    with pytest.raises(ApplicationError):
        centre_under(world, world.coord_souss, world.en_oriental, "X-2", "09.581")
    assert centre_under(world, world.coord_souss, world.en_souss, "X-3", "09.581")
    assert centre_under(world, world.coord_souss, world.en, "X-4", "09.581")


def test_the_same_holds_when_an_organisation_is_moved(world):
    child = centre_under(
        world, world.manager_agadir, world.centre_agadir, "A-4", "09.001"
    )
    with pytest.raises(ApplicationError):
        organisation_update(
            actor=world.manager_agadir,
            organisation=child,
            parent=world.centre_agadir,
            territory=province("02.411"),
        )
    with pytest.raises(ApplicationError):
        organisation_update(
            actor=world.national_admin,
            organisation=child,
            parent=world.en_oriental,
            territory=province("09.001"),
        )
    child.refresh_from_db()
    assert (child.parent, child.territory.code) == (world.centre_agadir, "09.001")


def test_an_organisation_cannot_move_away_from_its_children(world):
    """Moving the coordination of Souss-Massa to Oriental would leave its centres
    outside its territory: refused."""
    with pytest.raises(ApplicationError) as error:
        organisation_update(
            actor=world.national_admin,
            organisation=world.en_souss,
            parent=world.en,
            territory=province("02.411"),
        )
    assert "territory" in error.value.message_dict
    world.en_souss.refresh_from_db()
    assert world.en_souss.territory.code == "09.001"
