"""An import of people reaches no further than its user's pages.

The cast's people carry the birth year 1985 and the phone 0612345678; each is
affiliated to one organisation only.
"""

import pytest
from django.urls import reverse

from relais.core.models import AuditEvent
from relais.imports import services
from relais.people.models import Affiliation, Person
from relais.people.policies import PersonPolicy

HEADER = "Nom;Prénom;Année de naissance;CIN;Téléphone;Courriel"


def write(tmp_path, *lines):
    path = tmp_path / "people.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def state(person):
    person = Person.objects.get(pk=person.pk)
    organisations = set(person.affiliations.values_list("organisation_id", flat=True))
    return (person.first_name, person.phone, person.email, organisations)


def test_a_focal_point_cannot_adopt_people_of_other_regions(
    world, tmp_path, client_for
):
    """The association of Agadir names a Dakhla person by CIN and an Oriental
    person by name and birth year: neither is updated or affiliated, the first
    row is a problem that names no one, the second makes a person of its own."""
    dakhla, oujda = world.person_dakhla, world.person_oujda
    before = state(dakhla), state(oujda)
    path = write(
        tmp_path,
        "Ould Sidi;Khadija;1985;SH98765;0661000000;pris@example.ma",
        "Bennani;Fatima;1985;;0661000001;pris@example.ma",
    )
    _h, _m, plan = services.people_plan(path, path.name, actor=world.focal_association)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "CIN")]
    message = plan.problems[0].message
    assert "Khadija" not in message and str(dakhla.pk) not in message
    assert not plan.updates and not plan.unchanged and not plan.likely
    result = services.people_import(
        actor=world.focal_association,
        path=path,
        name=path.name,
        organisation=world.association_agadir,
        skip_invalid=True,
    )
    assert (result["inserted"], result["updated"]) == (1, 0)
    assert (state(dakhla), state(oujda)) == before
    client = client_for(world.focal_association)
    for person in (dakhla, oujda):
        assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404


def test_likely_duplicates_are_looked_for_only_within_reach(world, tmp_path):
    """A close spelling of a Dakhla person, with her birth year: likely for the
    national administrator, unknown (a new person) for the Souss coordinator."""
    path = write(tmp_path, "Ould Sidy;Khadija;1985;;;")
    _h, _m, national = services.people_plan(path, path.name, actor=world.national_admin)
    assert [person for _row, person, *_ in national.likely] == [world.person_dakhla.pk]
    _h, _m, souss = services.people_plan(path, path.name, actor=world.coord_souss)
    assert not souss.likely and len(souss.new) == 1


def test_the_commit_checks_again_as_the_user_who_commits(world, tmp_path):
    """A merge decided over someone the committer may not edit does not happen."""
    path = write(tmp_path, "Ould Sidy;Khadija;1985;;0661000002;")
    _h, _m, plan = services.people_plan(path, path.name, actor=world.national_admin)
    row, person, *_ = plan.likely[0]
    before = state(world.person_dakhla)
    services.people_import(
        actor=world.coord_souss,
        path=path,
        name=path.name,
        organisation=world.association_agadir,
        decisions={row: "merge"},
        shown={row: person},
    )
    assert state(world.person_dakhla) == before


def test_a_merge_goes_only_into_the_person_the_user_saw(world, tmp_path):
    path = write(tmp_path, "Ould Sidy;Khadija;1985;;0661000003;")
    before = state(world.person_dakhla)
    result = services.people_import(
        actor=world.national_admin,
        path=path,
        name=path.name,
        organisation=world.centre_dakhla,
        decisions={2: "merge"},
        shown={2: world.person_oujda.pk},
    )
    assert result["skipped"] == 1
    assert state(world.person_dakhla) == before


def test_every_person_an_import_changes_or_affiliates_is_audited_by_id(world, tmp_path):
    path = write(
        tmp_path,
        "Bennani;Fatima;1985;F654321;0661000004;",
        "Nouvelle;Salma;1999;;;",
    )
    services.people_import(
        actor=world.national_admin,
        path=path,
        name=path.name,
        organisation=world.centre_dakhla,
    )
    events = AuditEvent.objects.filter(actor=world.national_admin)
    update = events.get(action="import.person.update")
    assert update.target_id == str(world.person_oujda.pk)
    assert update.details == {"fields": ["phone"]}
    assert update.target_label == "Fatima Bennani"
    affiliate = events.get(action="import.person.affiliate")
    assert affiliate.target_id == str(world.person_oujda.pk)
    created = events.get(action="import.people.create")
    new = Person.objects.get(first_name="Salma")
    assert created.details == {"count": 1, "ids": [new.pk, new.pk]}
    assert Affiliation.objects.filter(
        person=world.person_oujda, organisation=world.centre_dakhla
    ).exists()


@pytest.mark.parametrize(
    ("member", "organisation"),
    [
        ("coord_souss", "centre_agadir"),
        ("coord_oriental", "centre_oujda"),
        ("manager_agadir", "centre_agadir"),
        ("agent_dakhla", "centre_dakhla"),
        ("focal_association", "association_agadir"),
    ],
)
def test_no_member_of_the_cast_changes_people_out_of_reach(
    world, tmp_path, member, organisation
):
    """Every person of the cast, by CIN, imported by someone who may edit only
    some of them: those out of reach stay as they were."""
    actor = world.users[member]
    people = [
        world.person_agadir,
        world.person_oujda,
        world.person_association,
        world.person_dakhla,
    ]
    editable = set(
        Person.objects.filter(PersonPolicy.where(actor, "edit")).values_list(
            "pk", flat=True
        )
    )
    before = {p.pk: state(p) for p in people}
    path = write(
        tmp_path,
        *(
            f"{p.last_name};Changé;1985;{p.cin_clear()};0661000009;x@example.ma"
            for p in people
        ),
    )
    services.people_import(
        actor=actor,
        path=path,
        name=path.name,
        organisation=world.orgs[organisation],
        skip_invalid=True,
    )
    for person in people:
        if person.pk not in editable:
            assert state(person) == before[person.pk], (member, person)
        else:
            assert state(person)[0] == "Changé"
