"""Importing people: every rule, every hostile file, idempotence, and a kill."""

import hashlib
import hmac
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.core import names, protected
from relais.core.errors import ApplicationError
from relais.imports import mapping, people, services
from relais.people.models import Affiliation, Person

HEADER = ";".join(
    [
        "Nom",
        "Prénom",
        "النسب بالعربية",
        "الاسم بالعربية",
        "Sexe",
        "Date de naissance",
        "CIN",
        "Téléphone",
        "Province",
    ]
)
GOOD = [
    "El Amrani;Mohamed;العمراني;محمد;H;12/03/1984;JB654321;06 61 23 45 67;09.001",
    "Bennani;Fatima;بناني;فاطمة;F;1990-07-01;;0522 11 22 33;06.141",
    "Tazi;Youssef;التازي;يوسف;M;;K987654;;",
]


def write(tmp_path, lines, name="people.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def counts():
    return Person.objects.count(), Affiliation.objects.count()


def run(world, path, **options):
    return services.people_import(
        actor=world.coord_souss,
        path=path,
        name=path.name,
        organisation=world.centre_agadir,
        **options,
    )


def test_headers_are_recognised_in_french_arabic_and_english():
    french = HEADER.split(";")
    assert set(mapping.guess(french)) == set(mapping.PEOPLE_FIELDS) - {
        "birth_year",
        "email",
        "commune",
        "region",
        "organisation",
    }
    english = ["Last name", "First name", "Date of birth", "Phone", "National ID"]
    assert mapping.guess(english) == {
        "last_name": 0,
        "first_name": 1,
        "birth_date": 2,
        "phone": 3,
        "cin": 4,
    }
    arabic = ["النسب", "الاسم", "تاريخ الازدياد", "الهاتف", "رقم البطاقة الوطنية"]
    assert set(mapping.guess(arabic)) == {
        "last_name",
        "first_name",
        "birth_date",
        "phone",
        "cin",
    }


def test_a_clean_file_goes_in_and_a_second_run_changes_nothing(world, tmp_path):
    before = counts()
    result = run(world, write(tmp_path, GOOD))
    assert result["inserted"] == 3
    assert counts() == (before[0] + 3, before[1] + 3)
    person = Person.objects.get(
        last_name="El Amrani",
        first_name="Mohamed",
        cin_digest=protected.digest("JB654321"),
    )
    assert person.cin_clear() == "JB654321"
    assert person.phone == "+212661234567"
    assert person.residence.code == "09.001"
    again = run(world, write(tmp_path, GOOD))
    assert again == {
        "inserted": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
        "joined": 0,
        "invalid_rows": [],
    }
    assert counts() == (before[0] + 3, before[1] + 3)


def test_new_and_known_people_are_each_affiliated_once(world, tmp_path):
    """Importing into a second organisation affiliates the new people and the
    known ones to it, once each, and leaves their other affiliations alone."""
    run(world, write(tmp_path, GOOD))
    centre = Affiliation.objects.filter(organisation=world.centre_agadir)
    before = sorted(centre.values_list("id", "person_id"))
    lines = [*GOOD, "Idrissi;Amina;الإدريسي;أمينة;F;05/05/2001;;;09.001"]
    result = services.people_import(
        actor=world.coord_souss,
        path=write(tmp_path, lines),
        name="people.csv",
        organisation=world.association_agadir,
    )
    assert (result["inserted"], result["unchanged"]) == (1, 3)
    names = sorted(tuple(line.split(";")[:2]) for line in lines)
    affiliated = Affiliation.objects.filter(
        organisation=world.association_agadir,
        person__last_name__in=[last for last, _first in names],
    )
    assert (
        sorted(affiliated.values_list("person__last_name", "person__first_name"))
        == names
    )
    assert {a.function for a in affiliated} == {""}
    assert sorted(centre.values_list("id", "person_id")) == before


def test_rows_are_upserted_on_the_cin(world, tmp_path):
    run(world, write(tmp_path, GOOD))
    changed = [GOOD[0].replace("06 61 23 45 67", "0700000000")]
    result = run(world, write(tmp_path, changed))
    assert (result["inserted"], result["updated"]) == (0, 1)
    assert (
        Person.objects.get(cin_digest=protected.digest("JB654321")).phone
        == "+212700000000"
    )


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("Bad;Cin;;;F;;123;;", "CIN"),
        ("Bad;Phone;;;F;;;12345;", "Téléphone"),
        ("Bad;Date;;;F;31/02/1990;;;", "Date de naissance"),
        ("Bad;Future;;;F;01/01/2999;;;", "Date de naissance"),
        ("Bad;Province;;;F;;;;99.999", "Province"),
        (";Nameless;;;F;;;;", "Nom"),
    ],
)
def test_each_problem_is_reported_by_row_and_column_and_nothing_is_written(
    world, tmp_path, line, column
):
    path = write(tmp_path, [GOOD[0], line])
    before = counts()
    _headers, _mapping, plan = services.people_plan(
        path, path.name, actor=world.national_admin
    )
    assert [(p.row, p.column) for p in plan.problems][0] == (3, column)
    with pytest.raises(ApplicationError):
        run(world, path)
    assert counts() == before


def test_cells_past_the_header_are_not_read(world):
    headers = HEADER.split(";")
    cleaner = people.Cleaner(mapping.guess(headers), headers)
    record, problems = cleaner.clean(
        2, ["Alami", "Sara", "", "", "F", "", "K111111", "", "", "1800", "x@"]
    )
    assert problems == []
    assert people.as_dict(record)["birth_year"] is None
    assert people.as_dict(record)["email"] == ""


def test_duplicates_inside_the_file_are_reported(world, tmp_path):
    path = write(tmp_path, [GOOD[0], GOOD[0].replace("Mohamed", "Mohammed")])
    _h, _m, plan = services.people_plan(path, path.name, actor=world.national_admin)
    assert plan.problems[0].row == 3
    assert "2" in plan.problems[0].message


def test_skip_invalid_imports_the_valid_rows_and_names_the_others(world, tmp_path):
    path = write(tmp_path, [*GOOD, "Bad;Cin;;;F;;123;;"])
    before = counts()
    result = run(world, path, skip_invalid=True)
    assert result["inserted"] == 3
    assert result["invalid_rows"] == [5]
    assert counts()[0] == before[0] + 3


def test_likely_duplicates_wait_for_a_decision(world, tmp_path):
    # The cast knows "Mohamed El Amrani", born in 1985; the file says Mohammed.
    text = "Nom;Prénom;Année de naissance\nEl Amrani;Mohammed;1985\n"
    path = tmp_path / "likely.csv"
    path.write_text(text, encoding="utf-8")
    _h, _m, plan = services.people_plan(path, path.name, actor=world.national_admin)
    assert [(row, pid) for row, pid, *_ in plan.likely] == [(2, world.person_agadir.pk)]
    before = counts()
    assert run(world, path)["skipped"] == 1
    assert counts()[0] == before[0]
    assert run(world, path, decisions={2: "create"})["inserted"] == 1
    assert counts()[0] == before[0] + 1


def test_a_file_is_planned_alike_whatever_the_size_of_its_chunks(
    world, tmp_path, monkeypatch
):
    """Rows are checked a chunk at a time: duplicates across chunks are found and
    the plan, the report and the people written are those of a single chunk."""
    lines = [*GOOD, "Bad;Cin;;;F;;123;;", GOOD[0].replace("Mohamed", "Mohammed")]
    lines = [f"{line};" for line in lines]
    lines.append("El Amrani;Mohammed;;;;;;;;1985")  # a likely duplicate of the cast
    for n in range(60):
        cin = f"QA{n:04d}" if n % 3 else ""
        lines.append(f"Nom{n % 7};Prénom{n};;;F;0{1 + n % 9}/02/1990;{cin};;09.001;")
    lines.append(lines[-1].replace("Prénom59", "Prénom59bis"))  # the same CIN
    path = write(tmp_path, lines, header=f"{HEADER};Année de naissance")

    def plan():
        _h, _m, result = services.people_plan(
            path, path.name, actor=world.national_admin
        )
        return result

    alone = plan()
    monkeypatch.setattr(people, "CHUNK_ROWS", 4)
    assert plan() == alone
    assert [p.row for p in alone.problems] == [5, 6, 68]
    assert [row for row, *_ in alone.likely] == [7]
    # Names that differ only by their digits look alike: here they are not one.
    assert alone.groups
    apart = {rows[0] for rows in alone.groups}
    result = run(world, path, skip_invalid=True, decisions={7: "create"}, apart=apart)
    assert result["inserted"] == 3 + 60 + 1
    person = Person.objects.get(cin_digest=protected.digest("QA0059"))
    assert person.cin_clear() == "QA0059"
    assert (
        person.cin_digest
        == hmac.new(protected._key(b"digest"), b"QA0059", hashlib.sha256).hexdigest()
    )
    assert person.search_key == names.search_key(
        "Prénom59", "Nom3", "", "", "Prénom59 Nom3", " "
    )


def test_the_organisation_must_be_in_scope(world, tmp_path):
    with pytest.raises(ApplicationError):
        services.people_import(
            actor=world.coord_oriental,
            path=write(tmp_path, GOOD),
            name="people.csv",
            organisation=world.centre_agadir,
        )
    assert not Person.objects.filter(last_name="Tazi", first_name="Youssef").exists()


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX_PARTS = {
    "[Content_Types].xml": b"<?xml version='1.0'?><Types xmlns='x'/>",
    "xl/workbook.xml": b"<?xml version='1.0'?><workbook xmlns='x'/>",
}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("people.xlsx", b"Nom;Prenom\nA;B\n", "XLSX"),
        ("people.csv", zip_bytes(XLSX_PARTS), "CSV"),
        ("people.pdf", b"%PDF-1.7", "CSV"),
        ("people.csv", b"Nom;Prenom\nA\x00;B\n", "CSV"),
        ("people.csv", b"", "vide"),
        (
            "people.xlsx",
            zip_bytes({**XLSX_PARTS, "xl/worksheets/sheet1.xml": b"0" * 30_000_000}),
            "",
        ),
        (
            "people.xlsx",
            zip_bytes(
                {
                    **XLSX_PARTS,
                    "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                    b'"aaaa"><!ENTITY b "&a;&a;&a;">]><workbook>&b;</workbook>',
                }
            ),
            "",
        ),
    ],
)
def test_hostile_files_are_refused_before_parsing(
    world, tmp_path, name, content, words
):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    with pytest.raises(ApplicationError) as error:
        run(world, path)
    assert words in " ".join(error.value.messages)
    assert counts() == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.lists(st.text(max_size=12), min_size=0, max_size=10), min_size=1, max_size=8
    )
)
def test_random_rows_never_crash_and_never_half_write(world, tmp_path, rows):
    lines = [
        ";".join(c.replace(";", "").replace("\n", "") for c in row) for row in rows
    ]
    path = write(tmp_path, lines, name="random.csv")
    before = counts()
    try:
        result = run(world, path)
    except ApplicationError:
        assert counts() == before
    else:
        assert counts()[0] == before[0] + result["inserted"]


def test_a_killed_import_leaves_nothing_behind(tmp_path):
    """Kill the process in the middle of writing: the database is as before."""
    root = Path(__file__).resolve().parents[4]
    env = {**os.environ, "RELAIS_VAR_DIR": str(tmp_path), "RELAIS_DEMO_MODE": "1"}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from relais.accounts.models import User, RoleMembership;"
            "from relais.organisations.services import organisation_create;"
            "from relais.territory.models import Territory;"
            "u = User.objects.create_user('importer');"
            "RoleMembership.objects.create(user=u, role='national_admin',"
            " territory=Territory.objects.get(code='MA'));"
            "organisation_create(actor=u, code='CS-X', kind='social_centre',"
            " name_fr='X', territory=Territory.objects.get(code='09.001'))",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("Nom;Prénom;CIN\n")
        for n in range(150_000):
            handle.write(f"Nom{n};Prénom{n};QQ{n:06d}\n")
    process = subprocess.Popen(
        [
            *manage,
            "import",
            "people",
            str(big),
            "--organisation",
            "CS-X",
            "--as",
            "importer",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in process.stdout:
        if "Writing" in line:
            time.sleep(1.0)  # well inside the write
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    database = sqlite3.connect(tmp_path / "relais.sqlite3")
    assert database.execute("SELECT COUNT(*) FROM people_person").fetchone()[0] == 0
    assert (
        database.execute("SELECT COUNT(*) FROM people_affiliation").fetchone()[0] == 0
    )
