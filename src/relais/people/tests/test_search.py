"""Finding a person by either script and by common transliterations."""

import pytest
from django.db import connection, transaction

from relais.core.names import variants
from relais.people.models import Person
from relais.people.selectors import person_list, person_search_q


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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's"
)
@pytest.mark.parametrize("spelling", ["Amrani", "العمراني"])
def test_a_name_search_can_use_the_trigram_index(world, spelling):
    """Searches look for " term" in the key, which the trigram index answers
    without reading every person. The planner takes it on large tables; with
    the few people of a test, it is told to avoid reading a table or an index
    from end to end."""
    found = Person.objects.filter(person_search_q(spelling))
    sql, params = found.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_search_trigram" in plan
