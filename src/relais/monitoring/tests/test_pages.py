"""The monitoring pages: scope, drill-downs, bad input, documents, query counts."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from relais.core.models import AuditEvent
from relais.monitoring.models import Target, TrainedPerson, TrainingSummary
from relais.training.models import Certification, Session
from relais.training.tests.test_documents import pdf_text, run, tool

pytestmark = pytest.mark.django_db


def get(client, name, **query):
    return client.get(reverse(f"monitoring:{name}"), query)


def listed(response) -> int:
    return response.context["page"].paginator.count


def test_a_regional_coordinator_sees_only_their_region(
    world, client_for, programme, cascade
):
    # The whole cascade of the story happened in Souss-Massa.
    souss = client_for(world.coord_souss)
    assert get(souss, "dashboard").context["figures"]["total"]["people"] == 4
    assert listed(get(souss, "people")) == 4

    oriental = client_for(world.coord_oriental)
    response = get(oriental, "dashboard")
    assert response.context["figures"]["total"]["people"] == 0
    assert [r["region"].code for r in response.context["figures"]["regions"]] == ["02"]
    assert listed(get(oriental, "people")) == 0
    assert listed(get(oriental, "sessions")) == 0
    assert listed(get(oriental, "trainers")) == 0
    # Another region's dashboard and lists do not exist for them.
    for name in ("dashboard", "people", "sessions", "trainers", "report_xlsx"):
        assert get(oriental, name, region="09").status_code == 404
    workbook = load_workbook(io.BytesIO(get(oriental, "report_xlsx").content))
    cells = [
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert not [cell for cell in cells if "Souss" in cell or "Pilot" in cell]


def test_every_breakdown_links_to_the_people_behind_it(
    world, client_for, programme, cascade
):
    client = client_for(world.national_admin)
    figures = get(client, "dashboard").context["figures"]
    for generation, value in figures["by_generation"].items():
        assert listed(get(client, "people", generation=generation)) == value["people"]
    for level, value in figures["by_level"].items():
        assert listed(get(client, "people", level=level)) == value["people"]
    for month, value in figures["by_month"].items():
        response = get(client, "people", month=f"{month:%Y-%m}")
        assert listed(response) == value["people"]
    response = get(client, "dashboard")
    for _dimension, values in response.context["disaggregations"]:
        for _label, people, name, code in values:
            assert listed(get(client, "people", **{name: code})) == people


def test_a_drill_down_with_a_bad_filter_says_so_and_lists_nobody(
    world, client_for, programme, cascade
):
    client = client_for(world.national_admin)
    response = get(client, "people", generation="two", sex="X")
    assert response.status_code == 200
    assert listed(response) == 0
    assert list(response.context["messages"])


def test_the_what_if_changes_nothing_and_refuses_impossible_rates(
    world, client_for, programme, cascade
):
    client = client_for(world.national_admin)
    rates = {
        "sessions_per_trainer_per_quarter": 3,
        "seats_per_session": 10,
        "completion_rate": 0.5,
        "certification_rate": 0.2,
        "activation_rate": 0.5,
        "attrition_per_quarter": 0,
    }
    response = get(client, "projection", **rates)
    assert response.context["what_if"].seats_per_session == 10
    refused = get(client, "projection", **(rates | {"completion_rate": 2}))
    assert refused.context["what_if"] is None
    assert list(refused.context["messages"])
    # The rates from the data are shown again, untouched.
    assert (
        refused.context["result"]["parameters"]
        == response.context["result"]["from_data"]
    )


def test_targets_are_checked_and_audited(world, client_for, programme, cascade):
    client = client_for(world.national_admin)
    souss = world.centre_agadir.territory.parent
    form = {
        "programme": programme.pk,
        "territory": souss.pk,
        "audience": "",
        "period_start": "2027-06-30",
        "period_end": "2026-07-01",
        "people": "100",
    }
    response = client.post(reverse("monitoring:target_create"), form)
    assert response.status_code == 200 and not Target.objects.exists()
    form |= {"period_start": "2026-07-01", "period_end": "2027-06-30"}
    assert client.post(reverse("monitoring:target_create"), form).status_code == 302
    again = client.post(reverse("monitoring:target_create"), form)
    assert again.status_code == 200
    assert Target.objects.count() == 1
    target = Target.objects.get()
    assert AuditEvent.objects.filter(action="target.save").count() == 1
    client.post(reverse("monitoring:target_delete", args=[target.pk]))
    assert not Target.objects.exists()
    assert AuditEvent.objects.filter(action="target.delete").exists()


def test_the_note_to_the_minister_is_one_page_in_french_and_in_arabic(
    world, client_for, programme, cascade, tmp_path
):
    client = client_for(world.national_admin)
    for language in ("fr", "ar"):
        response = get(client, "report_pdf", language=language)
        assert response["Content-Type"] == "application/pdf"
        source = tmp_path / f"note-{language}.pdf"
        source.write_bytes(response.content)
        info = run(tool("pdfinfo"), str(source))
        assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
        text = pdf_text(response.content, tmp_path)
        if language == "fr":
            assert "Note au ministre" in text
            assert "Souss-Massa" in text  # the best and the thinnest regions
        else:
            assert any("\u0600" <= char <= "\u06ff" for char in text)
    assert get(client, "report_pdf", language="de").status_code == 404


def test_the_workbook_has_every_table_and_no_formula(
    world, client_for, programme, cascade
):
    programme.title_fr = '=HYPERLINK("http://example.com")'
    programme.save(update_fields=["title_fr"])
    client = client_for(world.national_admin)
    workbook = load_workbook(io.BytesIO(get(client, "report_xlsx").content))
    assert len(workbook.sheetnames) == 9
    summary = workbook.worksheets[0]
    assert summary.cell(row=2, column=1).value.startswith("'=")
    generations = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert [row[:2] for row in generations[1:]] == [(1, 2), (2, 1), (3, 1)]


def add_a_region_of_data(world, programme, code: str, n: int, people) -> None:
    """Summary rows, trained people, sessions and trainers in another region."""
    province = f"MA/{code}/{code}.000/"
    session = Session.objects.first()
    TrainingSummary.objects.bulk_create(
        TrainingSummary(
            programme=programme,
            province_path=province,
            level="relay",
            audience="cadres",
            generation=g % 5,
            month=datetime.date(2026, 1 + g % 12, 1),
            refreshed_at=session.created_at,
            people=3,
        )
        for g in range(n)
    )
    TrainedPerson.objects.bulk_create(
        TrainedPerson(
            programme=programme,
            person=person,
            session=session,
            territory_path=province,
            organisation_path="x/",
            province_path=province,
            level="relay",
            audience="cadres",
            month=datetime.date(2026, 3, 1),
            year=2026,
        )
        for person in people
    )
    Certification.objects.bulk_create(
        Certification(
            person=person,
            programme=programme,
            level="relay_trainer",
            status="certified",
            territory_path=province,
        )
        for person in people
    )


@pytest.mark.parametrize(
    "name",
    [
        "dashboard",
        "people",
        "sessions",
        "trainers",
        "projection",
        "dilution",
        "targets",
    ],
)
@pytest.mark.parametrize("viewer", ["national_admin", "me_national"])
def test_pages_cost_the_same_queries_whatever_the_data(
    world, client_for, programme, cascade, name, viewer
):
    client = client_for(world.users[viewer])

    def queries():
        cache.clear()  # what the first viewer pays, before any figure is kept
        with CaptureQueriesContext(connection) as captured:
            assert get(client, name).status_code == 200
        return len(captured)

    small = queries()
    add_a_region_of_data(world, programme, "02", 200, [world.person_oujda])
    add_a_region_of_data(
        world, programme, "12", 100, [world.person_dakhla, world.person_association]
    )
    assert queries() == small
    assert small <= 25


@pytest.mark.parametrize("name", ["dashboard", "trainers"])
@pytest.mark.parametrize("months", ["²", "99999999999", "abc", "0"])
def test_a_bad_activation_window_falls_back_to_the_default(
    world, client_for, programme, cascade, name, months
):
    """months=² (a digit to str.isdigit(), not to int()) is no server error."""
    response = get(client_for(world.national_admin), name, months=months)
    assert response.status_code == 200


STORY_NAMES = ["Pilot1 Souss", "Q1 Souss", "R1 Souss", "S1 Souss", "Master A"]


def test_drill_downs_give_counts_only_to_those_who_may_not_see_people(
    world, client_for, programme, cascade
):
    """The M&E officer, who may not see people, gets the same figures as the
    programme unit in the drill-downs, without the names and links."""
    links = [
        reverse(name, args=[cascade[key].pk])
        for name in ("training:person_history", "training:trainer")
        for key in ("p1", "q1", "r1", "s1")
    ]
    for name in ("people", "trainers"):
        named = get(client_for(world.national_admin), name)
        expected = listed(named)
        assert expected
        assert "Pilot1 Souss" in named.content.decode()
        me = client_for(world.me_national)
        fragment = me.get(reverse(f"monitoring:{name}"), headers={"HX-Request": "true"})
        for response in (get(me, name), fragment):
            content = response.content.decode()
            assert response.status_code == 200
            assert response.context["count"] == expected
            assert f"{expected} " in content
            assert not [n for n in STORY_NAMES if n in content], name
            assert not [link for link in links if link in content], name


def test_drill_downs_never_name_people_outside_the_viewers_scope(
    world, client_for, programme, cascade
):
    """A coordinator sees every row of the region's figures, but the name of a
    trainee who belongs to another region's organisation is not shown."""
    from relais.people.models import Affiliation

    Affiliation.objects.filter(person=cascade["s1"]).update(
        organisation=world.centre_oujda
    )
    response = get(client_for(world.coord_souss), "people")
    content = response.content.decode()
    assert listed(response) == 4
    assert "R1 Souss" in content
    assert "S1 Souss" not in content
    assert reverse("training:person_history", args=[cascade["s1"].pk]) not in content


def test_the_dilution_names_flagged_trainers_only_to_those_who_may_see_them(
    world, client_for, programme, cascade
):
    """A trainer who stands out is named on the page and in the workbook only for
    viewers who may see that person; others see the figures alone."""
    from unittest import mock

    from relais.monitoring import statistics

    p1 = cascade["p1"]
    effect = statistics.TrainerEffect(
        key=p1.pk, n=6, raw_mean=0.2, shrunk_mean=0.3, low=0.1, high=0.4, flag="below"
    )
    with mock.patch.object(statistics, "trainer_effects", return_value=(0.5, [effect])):
        seen = get(client_for(world.national_admin), "dilution").content.decode()
        page = get(client_for(world.me_national), "dilution")
        workbook = load_workbook(
            io.BytesIO(get(client_for(world.me_national), "report_xlsx").content)
        )
    assert "Pilot1 Souss" in seen
    assert page.context["result"]["flagged"][0][1] == effect
    assert "Pilot1 Souss" not in page.content.decode()
    rows = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    cells = [str(value) for row in rows for value in row if value is not None]
    assert "Pilot1 Souss" not in cells and "None" not in cells
    # The trainer's figures stay, under a dash for the name.
    assert ("—", 6, 0.2, 0.3) in rows


def test_the_dashboard_offers_the_note_to_the_minister_only_to_who_may_have_it(
    world, client_for, programme, cascade
):
    """The auditor reads the dashboards but not the note and its workbook:
    the dashboard does not link them (they are not found for the auditor)."""
    links = [reverse("monitoring:report_pdf"), reverse("monitoring:report_xlsx")]
    national = get(client_for(world.national_admin), "dashboard").content.decode()
    assert all(link in national for link in links)
    auditor = client_for(world.auditor_national)
    assert not [
        link for link in links if link in get(auditor, "dashboard").content.decode()
    ]
    assert get(auditor, "report_xlsx").status_code == 404
