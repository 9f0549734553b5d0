"""The masked CIN: enough to recognise a card at a desk, too little to guess it."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from relais.core import protected
from relais.people.models import Person

remask = importlib.import_module("relais.people.migrations.0006_remask_cins")


@pytest.mark.parametrize(
    ("cin", "masked"),
    [
        ("BK123456", "••••••56"),
        ("J654321", "••••••21"),
        ("QA00059", "••••••59"),
        # Too few digits for two of them to stay visible.
        ("QA0059", "••••••••"),
        ("A1", "••••••••"),
    ],
)
def test_the_mask_shows_only_the_last_two_digits_and_hides_the_length(cin, masked):
    """Letters (the issuing office, guessable from where someone lives) and the
    number of digits stay hidden: a mask leaves hundreds of thousands of CINs."""
    assert protected.mask(cin) == masked


def test_the_migration_masks_the_people_already_stored_again(world):
    """People masked the old way (letters and last two digits shown) are masked
    again from their encrypted CIN, with the key of the settings."""
    Person.objects.filter(pk=world.person_agadir.pk).update(cin_masked="JB••••56")
    Person.objects.filter(pk=world.person_oujda.pk).update(cin_masked="F•••••21")
    remask.remask(apps, SimpleNamespace(connection=connection))
    world.person_agadir.refresh_from_db()
    world.person_oujda.refresh_from_db()
    assert world.person_agadir.cin_masked == "••••••56"
    assert world.person_oujda.cin_masked == "••••••21"
