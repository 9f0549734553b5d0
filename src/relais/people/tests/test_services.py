"""People: checked identifiers, protected CIN, scope, and the audit log."""

import datetime

import pytest
from django.utils import timezone

from relais.core.errors import ApplicationError
from relais.core.models import AuditEvent
from relais.people.models import Affiliation, Person
from relais.people.services import (
    affiliation_add,
    affiliation_remove,
    person_create,
    person_update,
)


def create(world, actor=None, organisation=None, **fields):
    values = {
        "first_name": "Hicham",
        "last_name": "Tazi",
        "first_name_ar": "هشام",
        "last_name_ar": "التازي",
        "sex": "M",
    } | fields
    return person_create(
        actor=actor or world.national_admin,
        organisation=organisation or world.centre_agadir,
        **values,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cin", "123456"),
        ("cin", "ABC12345"),
        ("cin", "AB1234567"),
        ("phone", "12345"),
        ("phone", "+33 6 12 34 56 78"),
        ("phone", "0612"),
        ("birth_date", timezone.localdate() + datetime.timedelta(days=1)),
        ("birth_year", 1850),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(world, field, value):
    people, events = Person.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as error:
        create(world, **{field: value})
    assert field in error.value.message_dict
    assert error.value.message_dict[field][0]
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == events


def test_messages_are_translated(world):
    from django.utils import translation

    with translation.override("ar"), pytest.raises(ApplicationError) as error:
        create(world, cin="123")
    message = error.value.message_dict["cin"][0]
    assert "BK123456" in message
    assert "بطاقة" in message


def test_the_cin_is_stored_encrypted_and_shown_masked(world):
    person = create(world, cin="bk 123456", phone="06 61 23 45 67")
    stored = Person.objects.filter(pk=person.pk).values().get()
    assert "BK123456" not in str(stored)
    assert person.cin_masked == "••••••56"
    assert person.cin_clear() == "BK123456"
    assert person.phone == "+212661234567"
    assert person.phone_display == "06 61 23 45 67"


def test_a_cin_belongs_to_one_person(world):
    create(world, cin="JK4455")
    with pytest.raises(ApplicationError) as error:
        create(world, cin="jk4455", first_name="Autre")
    assert "cin" in error.value.message_dict


def test_birth_date_sets_the_birth_year_and_a_year_alone_is_kept(world):
    assert create(world, birth_date=datetime.date(1990, 5, 17)).birth_year == 1990
    only_year = create(world, birth_year=1979)
    assert only_year.birth_date is None
    assert only_year.birth_year == 1979


def test_people_can_only_be_added_to_organisations_in_scope(world):
    count = Person.objects.count()
    with pytest.raises(ApplicationError) as error:
        create(world, actor=world.coord_souss, organisation=world.centre_oujda)
    assert "organisation" in error.value.message_dict
    assert Person.objects.count() == count


def test_update_is_audited_without_copying_personal_data(world):
    person = world.person_agadir
    person_update(
        actor=world.manager_agadir,
        person=person,
        first_name="Mohammed",
        last_name=person.last_name,
        phone="0700000000",
    )
    event = AuditEvent.objects.filter(action="person.update").latest("id")
    assert event.details == {"fields": ["first_name", "phone"]}
    assert "0700000000" not in str(event.details)
    assert event.territory_path == world.centre_agadir.territory_path


def test_out_of_scope_update_is_refused(world):
    with pytest.raises(ApplicationError):
        person_update(
            actor=world.coord_oriental,
            person=world.person_agadir,
            first_name="X",
            last_name="Y",
        )
    world.person_agadir.refresh_from_db()
    assert world.person_agadir.first_name == "Mohamed"


def test_affiliations_can_be_added_and_the_last_one_is_kept(world):
    person = world.person_agadir
    second = affiliation_add(
        actor=world.coord_souss, person=person, organisation=world.association_agadir
    )
    assert person.affiliations.count() == 2
    affiliation_remove(actor=world.coord_souss, affiliation=second)
    with pytest.raises(ApplicationError):
        affiliation_remove(
            actor=world.coord_souss, affiliation=person.affiliations.get()
        )
    assert Affiliation.objects.filter(person=person).count() == 1
