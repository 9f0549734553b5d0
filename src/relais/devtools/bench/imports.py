"""The import benchmark: Relais against a raw baseline and django-import-export.

All three are measured in the same run, on the same file and the same database:

1. raw: read the CSV with the csv module and insert with executemany (SQLite)
   or COPY (PostgreSQL), with no validation at all;
2. Relais: the people import (checks, deduplication against the database,
   encryption of the CIN, search keys, upsert) from the same CSV, and from the
   same rows as XLSX against calamine read + raw insert; and its dry run,
   the checks and deduplication alone, to show what writing adds;
3. django-import-export on a sample (it works row by row), scaled to the file.

Each time is the best of `repeat` runs. The peak memory is that of one import
run alone, as `relais import people`, in a process of its own.

The raw baseline writes every cell of the file into the same people table, with
its indexes and foreign keys, so that the ratio measures what Relais adds: the
checks, the deduplication, the encryption of the CIN, the search keys and the
people's affiliation to the organisation they are imported into.

It prints seconds and the ratios to the raw baseline.
"""

import csv
import random
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from relais.accounts.models import RoleMembership, User
from relais.core.bulk import next_id, other_columns
from relais.devtools.demo import names as demo_names
from relais.imports import people
from relais.imports.services import people_plan
from relais.organisations.services import organisation_create
from relais.people.models import Person
from relais.territory.models import Territory

HEADER = [
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


# Provinces as delegations write them, in both scripts and common spellings:
# the same rows with these instead of codes show what recognising names costs.
PROVINCE_NAMES = [
    "Agadir-Ida-Ou-Tanane",
    "أكادير إدا وتنان",
    "Fès",
    "Fes",
    "فاس",
    "Oued Eddahab",
    "Laayoune",
    "Tanger Assilah",
    "Beni-Mellal",
    "Préfecture de Rabat",
    "إقليم تارودانت",
    "Casablanca",
]


def make_rows(count: int, seed: int = 7, *, names: bool = False):
    rng = random.Random(seed)
    for n in range(count):
        female = rng.random() < 0.55
        first, first_ar = rng.choice(
            demo_names.FEMALE_FIRST if female else demo_names.MALE_FIRST
        )
        last, last_ar = rng.choice(demo_names.LAST)
        yield [
            last,
            first,
            last_ar,
            first_ar,
            "F" if female else "M",
            f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1950 + n % 55}",
            f"X{n:06d}"[:8],
            # Mobile numbers in use: none starts 068 (0683, 0685 and 0686 are
            # unassigned, and refused as on the person page).
            f"06{rng.choice('012345679')}{rng.randrange(10**6, 10**7)}",
            PROVINCE_NAMES[n % len(PROVINCE_NAMES)] if names else "09.001",
        ]


def write_csv(path: Path, count: int, *, names: bool = False) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(make_rows(count, names=names))
    return path


def write_files(folder: Path, count: int, xlsx: bool) -> tuple[Path, Path | None]:
    csv_path = write_csv(folder / f"people-{count}.csv", count)
    xlsx_path = None
    if xlsx:
        xlsx_path = folder / f"people-{count}.xlsx"
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for row in make_rows(count):
            sheet.append(row)
        workbook.save(xlsx_path)
    return csv_path, xlsx_path


RAW_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "last_name",
    "first_name",
    "last_name_ar",
    "first_name_ar",
    "sex",
    "birth_date",
    "cin_digest",
    "phone",
    "residence_id",
    "cin_encrypted",
    "cin_masked",
    "email",
    "search_key",
]


def raw_insert(rows) -> None:
    """Every cell of the file into the same table: no checks, keys or encryption.

    Plain executemany on SQLite, one COPY on PostgreSQL, from the driver itself.
    The birth date goes in as written (the server reads day/month/year); the
    province code becomes its id by a look-up in a dictionary, as a foreign key
    must, and an unknown one is left empty.
    """
    now = timezone.now()
    if connection.vendor == "sqlite":
        now = now.isoformat(" ")  # as Django's SQLite adapter writes it
    first = next_id("people_person")
    others, defaults = other_columns(Person, RAW_COLUMNS)
    provinces = dict(
        Territory.objects.filter(level="province").values_list("code", "pk")
    )
    province = provinces.get
    table = (
        (
            n,
            now,
            now,
            r[0],
            r[1],
            r[2],
            r[3],
            r[4][:1],
            r[5],
            r[6],
            r[7],
            province(r[8]),
            "",
            "",
            "",
            "",
            *defaults,
        )
        for n, r in enumerate(rows, start=first)
    )
    names = ", ".join([*RAW_COLUMNS, *others])
    with transaction.atomic(), closing(connection.connection.cursor()) as driver:
        if connection.vendor == "postgresql":
            driver.execute("SET LOCAL DateStyle TO 'ISO, DMY'")
            with driver.copy(f"COPY people_person ({names}) FROM STDIN") as copy:
                for row in table:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * (len(RAW_COLUMNS) + len(others)))
            driver.executemany(
                f"INSERT INTO people_person ({names}) VALUES ({marks})", table
            )


def raw_csv(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        raw_insert(reader)


def raw_xlsx(path: Path) -> None:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.iter_rows()
    next(rows)
    raw_insert([str(c) for c in row] for row in rows)


def relais_dry_run(path: Path, actor) -> None:
    """The checks and the deduplication alone, as a dry run: nothing is written."""
    people_plan(path, path.name, actor=actor)


def relais_import(path: Path, organisation, actor) -> dict:
    _headers, _mapping, plan = people_plan(path, path.name, actor=actor)
    return people.write(plan, actor=actor, organisation=organisation, decisions={})


def clear_people(since: int) -> None:
    """Remove the people a measurement wrote (ids from `since`), and only them.

    On PostgreSQL the dead rows are vacuumed at once, as autovacuum would do in
    service: otherwise the next measurement's look-ups wade through them.
    """
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_affiliation WHERE person_id >= %s", [since])
        cursor.execute("DELETE FROM people_person WHERE id >= %s", [since])
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE people_person, people_affiliation")


def import_alone(path: Path, organisation) -> float:
    """One import of `path` as a user runs it, `relais import people`, in a
    process of its own; returns its peak memory in MB.

    The peak is the kernel's high-water mark of the process, read while it runs:
    its resource usage would also count the benchmark's memory, which a child
    takes over when it is forked.
    """
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("relais")),
                "import",
                "people",
                str(path),
                "--organisation",
                organisation.code,
                "--as",
                "bench.importer",
            ],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        status = Path(f"/proc/{child.pid}/status")
        peak = 0
        while child.poll() is None:
            try:
                lines = status.read_text().splitlines()
            except OSError:  # it has just ended
                break
            for line in lines:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
            time.sleep(0.1)
        if child.wait():
            errors.seek(0)
            raise RuntimeError(errors.read())
    return peak / 1024


def import_export_sample(path: Path, sample: int) -> float:
    """django-import-export on the first `sample` rows; returns seconds."""
    import tablib
    from import_export import fields, resources

    class PersonResource(resources.ModelResource):
        last_name = fields.Field(attribute="last_name", column_name="Nom")
        first_name = fields.Field(attribute="first_name", column_name="Prénom")
        last_name_ar = fields.Field(
            attribute="last_name_ar", column_name="النسب بالعربية"
        )
        first_name_ar = fields.Field(
            attribute="first_name_ar", column_name="الاسم بالعربية"
        )
        sex = fields.Field(attribute="sex", column_name="Sexe")
        cin_masked = fields.Field(attribute="cin_masked", column_name="CIN")
        phone = fields.Field(attribute="phone", column_name="Téléphone")

        class Meta:
            model = Person
            import_id_fields = ["cin_masked"]
            fields = (
                "last_name",
                "first_name",
                "last_name_ar",
                "first_name_ar",
                "sex",
                "cin_masked",
                "phone",
            )

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        data = tablib.Dataset(headers=header)
        for n, row in enumerate(reader):
            if n >= sample:
                break
            data.append(row)
    started = time.perf_counter()
    result = PersonResource().import_data(data, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return time.perf_counter() - started


def run(
    count: int, folder: Path, *, xlsx: bool, sample: int, repeat: int = 1, out=print
) -> dict:
    admin, _ = User.objects.get_or_create(username="bench.importer")
    RoleMembership.objects.get_or_create(
        user=admin, role="national_admin", territory=Territory.objects.get(code="MA")
    )
    organisation = organisation_create(
        actor=admin,
        code=f"BENCH-IMPORT-{random.randrange(10**6)}",
        kind="social_centre",
        name_fr="Centre du banc d'essai",
        territory=Territory.objects.get(code="09.001"),
    )
    csv_path, xlsx_path = write_files(folder, count, xlsx)
    # The database may hold other people (a generated national dataset): each
    # measurement starts from the same state and removes only what it wrote.
    watermark = next_id("people_person")
    figures = {}

    def timed(name, function, *args, fresh=True):
        """The best of `repeat` runs: on a shared machine, the least disturbed.
        Each run starts without the people of the one before, if `fresh`."""
        times = []
        for _ in range(repeat):
            if fresh:
                clear_people(watermark)
            started = time.perf_counter()
            result = function(*args)
            times.append(time.perf_counter() - started)
        figures[name] = min(times)
        out(f"{name:<28} {figures[name]:8.2f} s")
        return result

    timed("raw CSV (read + insert)", raw_csv, csv_path)
    timed("Relais CSV dry run", relais_dry_run, csv_path, admin)
    timed("Relais CSV import", relais_import, csv_path, organisation, admin)
    again = timed(
        "Relais CSV, same file again",
        relais_import,
        csv_path,
        organisation,
        admin,
        fresh=False,
    )
    out(f"{'':<28} ({again['unchanged']} unchanged, {again['inserted']} inserted)")
    names_path = write_csv(folder / f"people-{count}-names.csv", count, names=True)
    timed(
        "Relais CSV, provinces by name",
        relais_import,
        names_path,
        organisation,
        admin,
    )
    if xlsx_path:
        timed("raw XLSX (calamine + insert)", raw_xlsx, xlsx_path)
        timed("Relais XLSX dry run", relais_dry_run, xlsx_path, admin)
        timed("Relais XLSX import", relais_import, xlsx_path, organisation, admin)
    clear_people(watermark)
    sample = min(sample, count)
    seconds = import_export_sample(csv_path, sample)
    figures["django-import-export"] = seconds * count / sample
    out(
        f"{'django-import-export':<28} {figures['django-import-export']:8.2f} s "
        f"(measured on {sample} rows, scaled to {count})"
    )
    peak = 0.0
    for path in (csv_path, xlsx_path):
        if path:
            clear_people(watermark)
            peak = max(peak, import_alone(path, organisation))
    clear_people(watermark)
    out("")
    raw = figures["raw CSV (read + insert)"]
    ratio = figures["Relais CSV import"] / raw
    out(f"Relais CSV / raw CSV: {ratio:.2f}x (goal: at most 3)")
    # What the checks and the deduplication cost alone, before any write.
    ratio = figures["Relais CSV dry run"] / raw
    out(f"  of which the dry run alone: {ratio:.2f}x")
    extra = figures["Relais CSV, provinces by name"] / figures["Relais CSV import"] - 1
    out(
        f"Provinces by name instead of code: {extra:+.0%} of the import "
        "(goal: at most +10%)"
    )
    if xlsx_path:
        raw = figures["raw XLSX (calamine + insert)"]
        ratio = figures["Relais XLSX import"] / raw
        out(f"Relais XLSX / calamine + raw: {ratio:.2f}x (goal: at most 1.5)")
        ratio = figures["Relais XLSX dry run"] / raw
        out(f"  of which the dry run alone: {ratio:.2f}x")
    speedup = figures["django-import-export"] / figures["Relais CSV import"]
    out(f"django-import-export / Relais CSV: {speedup:.1f}x (goal: at least 10)")
    out(
        f"Peak memory of one import in its own process: {peak:.0f} MB "
        "(goal: under 1024)"
    )
    return figures
