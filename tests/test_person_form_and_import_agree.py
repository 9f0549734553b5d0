"""One set of rules for a person's details: the person page and an import agree.

Each case is a person's details typed on the person page and written in a
one-row file, both as the Souss coordinator. What one refuses the other
refuses, with the same words and nothing written; what one accepts the other
writes the same way.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from relais.imports import services as imports
from relais.people.models import Person

HEADER = "Nom;Prénom;Sexe;Date de naissance;CIN;Téléphone;Courriel"
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)

# field -> (what the form gets, what the file's cell holds)
BAD = {
    # A number phonenumbers knows to be unassigned: imports once let it in.
    "phone": ("0500000000", "0500000000"),
    "email": ("pas-un-courriel", "pas-un-courriel"),
    "last_name": ("A" * 101, "A" * 101),
    "birth_date": (TOMORROW.isoformat(), TOMORROW.strftime("%d/%m/%Y")),
    "cin": ("123", "123"),
}
GOOD = {
    "last_name": "Ouazzani",
    "sex": "F",
    "birth_date": "1984-03-12",
    "phone": "06 61 23 45 67",
    "email": "salma@example.ma",
}


def on_the_page(client, world, first_name, details):
    client.force_login(world.coord_souss)
    data = {
        "first_name": first_name,
        "organisation": world.centre_agadir.pk,
        **GOOD,
        **details,
    }
    response = client.post(reverse("people:create"), data, HTTP_ACCEPT_LANGUAGE="fr")
    if response.status_code == 302:
        return []
    return [
        m for messages in response.context["form"].errors.values() for m in messages
    ]


def in_a_file(tmp_path, world, first_name, cells):
    values = {"first_name": first_name, **GOOD, "birth_date": "12/03/1984"} | cells
    row = ";".join(
        values.get(name, "")
        for name in (
            "last_name",
            "first_name",
            "sex",
            "birth_date",
            "cin",
            "phone",
            "email",
        )
    )
    path = tmp_path / "people.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    with translation.override("fr"):
        _headers, _mapping, plan = imports.people_plan(
            path, path.name, actor=world.coord_souss, organisation=world.centre_agadir
        )
        if plan.problems:
            return [p.message for p in plan.problems]
        imports.people_import(
            actor=world.coord_souss,
            path=path,
            name=path.name,
            organisation=world.centre_agadir,
        )
    return []


@pytest.mark.parametrize("field", sorted(BAD))
def test_what_the_page_refuses_the_import_refuses_in_the_same_words(
    client, world, tmp_path, field
):
    typed, cell = BAD[field]
    people = Person.objects.count()
    page = on_the_page(client, world, "Salma", {field: typed})
    file = in_a_file(tmp_path, world, "Salma", {field: cell})
    assert page and file
    assert file == page
    assert Person.objects.count() == people


def test_what_the_page_accepts_the_import_writes_the_same_way(client, world, tmp_path):
    assert on_the_page(client, world, "Salma", {"cin": "jb 654321"}) == []
    assert in_a_file(tmp_path, world, "Nadia", {"cin": "jb 654322"}) == []
    fields = ["sex", "birth_date", "birth_year", "phone", "email"]
    typed = Person.objects.filter(first_name="Salma").values(*fields).get()
    imported = Person.objects.filter(first_name="Nadia").values(*fields).get()
    assert typed == imported
    assert typed["phone"] == "+212661234567" and typed["birth_year"] == 1984
    assert [
        p.cin_clear()
        for p in Person.objects.filter(first_name__in=["Salma", "Nadia"]).order_by(
            "first_name"
        )
    ] == ["JB654322", "JB654321"]
