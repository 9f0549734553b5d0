"""The files delegations really send: every format reads the same, and goes in.

See delegation.py for the file and what a dry run must find in it.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import translation

from relais.core.errors import ApplicationError
from relais.core.reconcile import reference_key
from relais.imports import jobs, services
from relais.imports.layout import read_layout
from relais.imports.models import ImportJob, ValueMapping
from relais.people.models import Person
from relais.territory.models import Territory

from . import delegation

FORMATS = ["xlsx", "xls", "ods", "csv-utf-8", "csv-cp1256", "csv-cp1252"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Each format of the delegation's file, made once for the module."""
    folder = tmp_path_factory.mktemp("delegation")
    xlsx = delegation.write_xlsx(folder / "delegation.xlsx")
    made = {"xlsx": xlsx}
    for fmt in ("xls", "ods"):
        made[fmt] = delegation.convert(xlsx, fmt, folder)
    for encoding in ("utf-8", "cp1256", "cp1252"):
        made[f"csv-{encoding}"] = delegation.write_csv(
            folder / f"delegation-{encoding}.csv", encoding
        )
    return made


def header_row(fmt: str) -> int:
    """The banner, the title and a blank row in a workbook; a title and a blank
    row in a CSV."""
    return delegation.TITLE_ROWS + 1 if not fmt.startswith("csv") else 3


def row_numbers(fmt: str, indexes) -> list[int]:
    return [header_row(fmt) + 1 + index for index in indexes]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_dry_run_finds_the_same_in_every_format(world, files, fmt):
    path = files[fmt]
    layout = read_layout(path, path.name, "people")
    assert layout.header_row == header_row(fmt)
    assert layout.sheet == 0
    if fmt.startswith("csv"):
        assert layout.encoding == fmt.removeprefix("csv-")
    _h, mapping, plan = services.people_plan(
        path, path.name, actor=world.coord_souss, organisation=world.centre_agadir
    )
    assert {"last_name", "first_name", "birth_date", "cin", "phone", "province"} <= (
        set(mapping)
    )
    expected = delegation.EXPECTED
    assert plan.rows == expected["rows"]
    assert len(plan.new) == expected["new"]
    assert len(plan.updates) == expected["update"]
    assert len(plan.unchanged) == expected["unchanged"]
    assert len(plan.likely) == expected["likely"]
    assert plan.groups == [row_numbers(fmt, g) for g in expected["groups"]]
    assert sorted(plan.problem_rows) == row_numbers(fmt, expected["problem_rows"])
    assert {
        field: [(v["value"], v["rows"]) for v in values]
        for field, values in plan.unknown.items()
    } == expected["unknown"]


def test_the_columns_say_how_their_values_were_read(world, files):
    path = files["xlsx"]
    with translation.override("en"):
        _h, _m, plan = services.people_plan(
            path, path.name, actor=world.coord_souss, organisation=world.centre_agadir
        )
    columns = {c["field"]: c for c in plan.columns}
    birth = columns["birth_date"]
    assert birth["refused"] == 0
    assert set(birth["converted"]) == {
        "Excel date number read as a date",
        "two-digit year completed",
        "year alone kept as the birth year",
        "month and year: the year kept",
    }
    phone = columns["phone"]
    assert phone["converted"] == {"leading 0 put back": 4, "+ put back before 212": 2}
    assert columns["cin"]["converted"] == {
        "spaces, signs or small letters corrected": 3
    }
    province = columns["province"]
    assert province["refused"] == 2
    assert province["converted"]["name recognised"] >= 10


def run_job(job, step):
    with TestCase.captureOnCommitCallbacks(execute=True):
        step()
    job.refresh_from_db()
    return job


def test_a_delegation_file_goes_in_once_its_unknown_place_is_mapped(
    world, files, settings, tmp_path
):
    """Upload, the header found under the titles, the dry run, the unknown
    place mapped (and remembered), the dry run again, the import."""
    settings.VAR_DIR = tmp_path
    coordinator = world.coord_souss
    upload = SimpleUploadedFile("delegation.xlsx", files["xlsx"].read_bytes())
    job = jobs.import_job_create(
        actor=coordinator, upload=upload, organisation=world.centre_agadir
    )
    assert (job.header_row, job.sheets) == (4, ["Bénéficiaires", "Notes"])
    job = run_job(
        job,
        lambda: jobs.import_job_confirm_mapping(
            actor=coordinator, job=job, mapping=job.mapping
        ),
    )
    assert job.status == ImportJob.Status.CHECKED
    unknown = job.findings["unknown"]["province"]
    assert [v["value"] for v in unknown] == ["Centre Dakhla Nord"]
    dakhla = Territory.objects.get(code="12.391")
    job = run_job(
        job,
        lambda: jobs.import_job_map_places(
            actor=coordinator,
            job=job,
            chosen={("province", "Centre Dakhla Nord"): dakhla.pk},
        ),
    )
    assert not job.findings["unknown"]
    assert job.problems_count == 1  # the CIN of the Oriental
    assert ValueMapping.objects.get(organisation=world.centre_agadir).territory == (
        dakhla
    )
    people = Person.objects.count()
    job = run_job(
        job,
        lambda: jobs.import_job_commit(
            actor=coordinator, job=job, decisions={}, skip_invalid=True
        ),
    )
    assert job.status == ImportJob.Status.DONE, job.error
    assert job.result["joined"] == 2
    assert job.result["inserted"] == 13 - 2 + 2
    assert Person.objects.count() == people + 13
    amrani = Person.objects.get(
        first_name="Mohamed", last_name="El Amrani", birth_year=1984
    )
    assert amrani.birth_date == datetime.date(1984, 3, 12)
    assert amrani.residence.code == "03.231"
    assert amrani.phone == "+212661234567"
    tazi = Person.objects.get(last_name="Tazi", first_name="Amina")
    assert (tazi.birth_date, tazi.birth_year) == (None, 1968)
    assert tazi.residence.code == "11.321"
    assert tazi.cin_clear() == "BK654321"
    ziani = Person.objects.get(last_name="Ziani")
    assert ziani.birth_date == datetime.date(1978, 6, 5)
    assert ziani.residence.code == "09.541"
    assert Person.objects.get(last_name="Ouchen", first_name="Hajar").residence == (
        dakhla
    )
    assert Person.objects.get(last_name="Idrissi", first_name="Omar").phone == (
        "+212522112233"
    )


def test_a_second_file_of_the_organisation_uses_what_was_mapped(world, files):
    ValueMapping.objects.create(
        organisation=world.centre_agadir,
        field="province",
        key=reference_key("Centre Dakhla Nord"),
        value="Centre Dakhla Nord",
        territory=Territory.objects.get(code="12.391"),
        created_by=world.coord_souss,
    )
    path = files["csv-cp1256"]
    _h, _m, plan = services.people_plan(
        path, path.name, actor=world.coord_souss, organisation=world.centre_agadir
    )
    assert not plan.unknown
    assert len(plan.problem_rows) == 1
    _h, _m, elsewhere = services.people_plan(
        path, path.name, actor=world.coord_souss, organisation=world.association_agadir
    )
    assert elsewhere.unknown


def test_each_row_goes_into_the_structure_it_names(world, settings, tmp_path):
    """A file that gathers several structures: each row is affiliated to the one
    it names (by code, French or Arabic name, or as the user mapped it), the
    others to the import's organisation; a structure out of the user's reach
    reads as unknown."""
    settings.VAR_DIR = tmp_path
    coordinator = world.coord_souss
    text = (
        "Nom;Prénom;Année de naissance;Structure\n"
        "Alpha;Amina;1990;ASSO-AGA\n"
        "Beta;Omar;1991;Organisation CS-AGA\n"
        "Gamma;Salma;1992;مؤسسة ASSO-AGA\n"
        "Delta;Driss;1993;CS-OUJ\n"
        "Epsilon;Kenza;1994;\n"
        "Zeta;Said;1995;Asso Amal\n"
    )
    upload = SimpleUploadedFile("structures.csv", text.encode())
    job = jobs.import_job_create(
        actor=coordinator, upload=upload, organisation=world.centre_agadir
    )
    job = run_job(
        job,
        lambda: jobs.import_job_confirm_mapping(
            actor=coordinator, job=job, mapping=job.mapping
        ),
    )
    unknown = {v["value"] for v in job.findings["unknown"]["organisation"]}
    assert unknown == {"CS-OUJ", "Asso Amal"}
    job = run_job(
        job,
        lambda: jobs.import_job_map_places(
            actor=coordinator,
            job=job,
            chosen={("organisation", "Asso Amal"): world.association_agadir.pk},
        ),
    )
    with pytest.raises(ApplicationError):
        jobs.import_job_map_places(
            actor=coordinator,
            job=job,
            chosen={("organisation", "CS-OUJ"): world.centre_oujda.pk},
        )
    job = run_job(
        job,
        lambda: jobs.import_job_commit(
            actor=coordinator, job=job, decisions={}, skip_invalid=True
        ),
    )
    assert job.status == ImportJob.Status.DONE, job.error
    homes = {
        p.last_name: list(p.affiliations.values_list("organisation__code", flat=True))
        for p in Person.objects.filter(birth_year__gte=1990)
    }
    assert homes == {
        "Alpha": ["ASSO-AGA"],
        "Beta": ["CS-AGA"],
        "Gamma": ["ASSO-AGA"],
        "Epsilon": ["CS-AGA"],
        "Zeta": ["ASSO-AGA"],
    }


def test_the_report_says_how_each_column_was_read(world, files, tmp_path):
    from openpyxl import load_workbook

    from relais.imports.report import problems_workbook

    path = files["xlsx"]
    with translation.override("en"):
        _h, _m, plan = services.people_plan(
            path, path.name, actor=world.coord_souss, organisation=world.centre_agadir
        )
        problems_workbook(plan, tmp_path / "report.xlsx")
    workbook = load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert workbook.sheetnames == [
        "Problems",
        "Likely duplicates",
        "One person several times",
        "Columns",
    ]
    columns = {row[0]: row for row in workbook["Columns"].iter_rows(values_only=True)}
    phone = columns["Tél."]
    assert "4 leading 0 put back" in phone[3]
    assert columns["Province / الإقليم"][5] == 2
