"""Values as spreadsheets store them, and places as people write them."""

import datetime

import pytest

from relais.core.validators import normalise_phone
from relais.imports import mapping
from relais.imports.values import read_birth, read_cin, read_phone
from relais.people.bulk import check_details
from relais.territory.selectors import territory_reference

TODAY = datetime.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1984-03-12", (datetime.date(1984, 3, 12), 1984, "as written")),
        ("12/03/1984", (datetime.date(1984, 3, 12), 1984, "as written")),
        ("12.03.1984", (datetime.date(1984, 3, 12), 1984, "as written")),
        ("1968", (None, 1968, "year_alone")),
        ("30755", (datetime.date(1984, 3, 14), 1984, "serial")),
        ("12/03/84", (datetime.date(1984, 3, 12), 1984, "two_digits")),
        ("05/06/07", (datetime.date(2007, 6, 5), 2007, "two_digits")),
        ("03/1990", (None, 1990, "month_year")),
        ("1999-04-21 00:00:00", (datetime.date(1999, 4, 21), 1999, "as written")),
    ],
)
def test_birth_dates_are_read_as_spreadsheets_store_them(cell, expected):
    assert read_birth(cell, TODAY) == expected


@pytest.mark.parametrize("cell", ["31/02/1990", "01/01/26", "hier", "13/1990"])
def test_unreadable_or_ambiguous_birth_dates_are_refused(cell):
    """01/01/26 could be 1926 or 2026: it is refused, not guessed."""
    with pytest.raises(ValueError) as error:
        read_birth(cell, TODAY)
    assert cell in str(error.value)


@pytest.mark.parametrize(
    ("cell", "field"),
    [("1850", "birth_year"), ("2030", "birth_year"), ("12/03/2030", "birth_date")],
)
def test_impossible_births_are_refused_by_the_rules_of_the_person_pages(cell, field):
    birth_date, birth_year, _how = read_birth(cell, TODAY)
    details = {"birth_date": birth_date, "birth_year": birth_year}
    assert field in check_details(details, TODAY)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0612345678", ("+212612345678", "as written")),
        ("06 12 34 56 78", ("+212612345678", "as written")),
        ("06.12.34.56.78", ("+212612345678", "as written")),
        ("06-12-34-56-78", ("+212612345678", "as written")),
        ("00212612345678", ("+212612345678", "as written")),
        ("612345678", ("+212612345678", "leading_zero")),
        ("212612345678", ("+212612345678", "country_code")),
        ("522112233", ("+212522112233", "leading_zero")),
    ],
)
def test_phones_are_read_even_when_the_spreadsheet_made_numbers_of_them(cell, expected):
    phone, how = read_phone(cell)
    assert (normalise_phone(phone), how) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("JB123456", "as written"),
        ("jb 123 456", "cin_cleaned"),
        ("J-111222", "cin_cleaned"),
    ],
)
def test_cins_lose_their_stray_spaces_and_small_letters(cell, expected):
    cin, how = read_cin(cell)
    assert cin.isupper() and " " not in cin and how == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Fès", "03.231"),
        ("FES", "03.231"),
        ("Préfecture de Fès", "03.231"),
        ("فاس", "03.231"),
        ("Laayoune", "11.321"),
        ("Oued Eddahab", "12.391"),
        ("وادي الذهب", "12.391"),
        ("Tanger Assilah", "01.511"),
        ("Tanger", "01.511"),
        ("Beni-Mellal", "05.091"),
        ("Taroudant", "09.541"),
        ("إقليم تارودانت", "09.541"),
        ("Province d'El Hajeb", "03.171"),
        ("09.001", "09.001"),
        ("9001", "09.001"),
        ("Kelaa des Sraghna", "07.191"),
    ],
)
def test_provinces_are_recognised_by_code_or_name_in_either_script(db, text, code):
    reference = territory_reference("province")
    found, _how = reference.find(text)
    assert found is not None and reference.labels[found].endswith(f"({code})")


def test_a_place_nobody_knows_finds_nothing_and_may_get_a_suggestion(db):
    reference = territory_reference("province")
    assert reference.find("Centre Dakhla Nord") == (None, "")
    assert reference.find("Taroudamt") == (None, "")
    suggestion = reference.suggest("Taroudamt")
    assert reference.labels[suggestion].endswith("(09.541)")


def test_the_header_is_found_under_titles_a_banner_and_blank_rows():
    rows = [
        ["Royaume du Maroc — المملكة المغربية"],
        ["Liste des bénéficiaires arrêtée au 30/11/2026", "", ""],
        [],
        ["N°", "Nom / النسب", "Prénom / الاسم", "Date de naissance (jj/mm/aaaa)"],
        ["1", "El Amrani", "Mohamed", "12/03/1984"],
    ]
    assert mapping.find_header(rows) == 3
    assert mapping.guess(rows[3]) == {
        "last_name": 1,
        "first_name": 2,
        "birth_date": 3,
    }
