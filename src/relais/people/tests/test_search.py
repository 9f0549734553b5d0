"""Finding a person by either script and by common transliterations."""

import pytest

from relais.core.names import variants
from relais.people.selectors import person_list


@pytest.mark.parametrize(
    "spelling",
    ["Mohamed", "Mohammed", "Mhamed", "Muhammad", "محمد", "mohamed el amrani"],
)
def test_search_finds_mohamed_el_amrani_whatever_the_spelling(world, spelling):
    found = person_list(actor=world.national_admin, search=spelling)
    assert world.person_agadir in found


@pytest.mark.parametrize("spelling", ["Amrani", "El Amrani", "العمراني", "عمراني"])
def test_search_finds_the_family_name_with_or_without_its_article(world, spelling):
    assert world.person_agadir in person_list(
        actor=world.national_admin, search=spelling
    )


def test_search_in_arabic_finds_a_latin_spelling_and_back(world):
    assert world.person_association in person_list(
        actor=world.national_admin, search="يوسف"
    )
    assert world.person_oujda in person_list(actor=world.national_admin, search="Fatma")


def test_search_does_not_return_unrelated_people(world):
    found = list(person_list(actor=world.national_admin, search="Khadija"))
    assert found == [world.person_dakhla]


def test_search_stays_within_scope(world):
    assert not person_list(actor=world.coord_oriental, search="Mohamed").exists()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Youssef", "Yousef"),
        ("Youssef", "Youcef"),
        ("Chaoui", "Shaoui"),
        ("Abdelhak", "عبد الحق"),
        ("Fatima Zahra", "فاطمة الزهراء"),
        ("Khadija", "Khadidja"),
    ],
)
def test_transliteration_variants_share_a_skeleton(a, b):
    assert variants(a) & variants(b)
