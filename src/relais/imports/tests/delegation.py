"""A beneficiaries list as a regional delegation sends it, in every format.

Titles and a blank row above a bilingual header; French and Arabic columns;
birth dates as date cells, as text, as Excel numbers, in two digits, or only
the year; phones that the spreadsheet kept as numbers; CINs with stray spaces;
provinces by name in either script and in their common spellings, plus one
place no reference knows; one person written three times; one person already
known under a close spelling; one already known by CIN; one CIN held in
another region. `expected` says what a dry run by the Souss coordinator into
the social centre of Agadir (tests.cast) must find.

`write_xlsx` makes the workbook as Excel would (openpyxl: date cells, numbers,
a merged banner), `write_csv` the CSV that Arabic or French Windows saves
(Windows-1256 keeps the Arabic, Windows-1252 cannot and drops it), and
`convert` asks LibreOffice (Debian's libreoffice-calc-nogui) for the XLS and
ODS of the same workbook; files/ keeps those two for machines without it.
"""

import csv
import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FILES = Path(__file__).parent / "files"
TITLE = "Entraide Nationale — Délégation de Souss-Massa — Liste des bénéficiaires"
HEADER = [
    "N°",
    "Nom / النسب",
    "Prénom / الاسم",
    "النسب بالعربية",
    "الاسم بالعربية",
    "Sexe",
    "Date de naissance (jj/mm/aaaa)",
    "N° CIN",
    "Tél.",
    "Province / الإقليم",
]
LATIN_HEADER = [
    "N°",
    "Nom",
    "Prénom",
    "",
    "",
    "Sexe",
    "Date de naissance",
    "CIN",
    "Téléphone",
    "Province",
]
D = datetime.date


@dataclass(frozen=True)
class Person:
    last: str
    first: str
    last_ar: str
    first_ar: str
    sex: str
    birth: object  # a date, an Excel number, a year, or text as typed
    cin: str
    phone: object  # text, or a number where the spreadsheet made one
    province: str
    # What the French Windows CSV says where the row has Arabic it cannot keep.
    latin_sex: str = ""
    latin_province: str = ""


ROWS = [
    # One person written three times: names close, same birth date, no CIN.
    Person(
        "El Amrani",
        "Mohamed",
        "العمراني",
        "محمد",
        "H",
        D(1984, 3, 12),
        "",
        212661234567,
        "Fès",
    ),
    Person("El Amrani", "Mohammed", "", "", "M", D(1984, 3, 12), "", "", "Fes"),
    Person("El Amrani", "Mhamed", "", "", "M", "12/03/1984", "", 661234567, ""),
    # Known in Souss under a close spelling, with the birth year alone.
    Person(
        "El Amrany",
        "Mohamed",
        "العمراني",
        "محمد",
        "ذكر",
        1985,
        "",
        "",
        "Agadir Ida Ou Tanane",
        latin_sex="M",
    ),
    # Known in Souss by CIN, written with a space and in small letters.
    Person(
        "Alaoui",
        "Youssef",
        "العلوي",
        "يوسف",
        "M",
        "",
        "j 111222",
        "0670 11 22 33",
        "09.001",
    ),
    # A CIN held by someone of the Oriental: not the coordinator's to touch.
    Person("Bennani", "Fatima", "بناني", "فاطمة", "F", "", "F654321", "", "Oujda"),
    # A place no reference knows, twice.
    Person(
        "Ouchen",
        "Hajar",
        "أوشن",
        "هاجر",
        "F",
        D(1991, 7, 2),
        "",
        698765432,
        "Centre Dakhla Nord",
    ),
    Person(
        "Ouchen",
        "Said",
        "أوشن",
        "سعيد",
        "M",
        D(1989, 1, 15),
        "",
        "",
        "Centre Dakhla Nord",
    ),
    # New people, every way a delegation writes them.
    Person(
        "Tazi",
        "Amina",
        "التازي",
        "أمينة",
        "Femme",
        "1968",
        "BK 654321",
        "06-61-55-44-33",
        "Laayoune",
    ),
    Person(
        "Idrissi",
        "Omar",
        "الإدريسي",
        "عمر",
        "Homme",
        30755,
        "",
        212522112233,
        "Oued Eddahab",
    ),
    Person(
        "Ziani",
        "Kenza",
        "الزياني",
        "كنزة",
        "أنثى",
        "05/06/78",
        "",
        "",
        "إقليم تارودانت",
        latin_sex="F",
        latin_province="Taroudant",
    ),
    Person(
        "Naciri",
        "Driss",
        "الناصري",
        "ادريس",
        "M",
        "1972",
        "JC112233",
        "+212 6 12 34 56 78",
        "Tanger Assilah",
    ),
    Person("Berrada", "Salma", "برادة", "سلمى", "F", "03/1990", "", "", "Beni-Mellal"),
    Person(
        "Chaoui",
        "Hicham",
        "الشاوي",
        "هشام",
        "M",
        D(2001, 11, 30),
        "",
        612000111,
        "الدار البيضاء",
        latin_province="Casablanca",
    ),
    Person("Lahlou", "Imane", "لحلو", "إيمان", "F", "1959", "", "", "Taroudannt"),
    Person(
        "Sabri",
        "Ayoub",
        "صبري",
        "أيوب",
        "M",
        "1999-04-21",
        "jb998877",
        "0661.23.45.67",
        "Préfecture de Fès",
        latin_province="Prefecture de Fes",
    ),
    Person(
        "Ait Baha",
        "Naima",
        "آيت باها",
        "نعيمة",
        "F",
        "1980",
        "",
        "",
        "Chtouka-Aït Baha",
    ),
    Person("Ennaji", "Lahcen", "الناجي", "لحسن", "H", 25569, "", 655443322, "Tiznit"),
]
# What a dry run into the centre of Agadir as the Souss coordinator finds.
EXPECTED = {
    "rows": len(ROWS),
    "new": 13,  # the three rows of one person count as new until joined
    "update": 1,
    "unchanged": 0,
    "likely": 1,
    "groups": [[0, 1, 2]],  # indexes in ROWS
    "problem_rows": [5, 6, 7],  # the CIN of the Oriental, the unknown place
    "unknown": {"province": [("Centre Dakhla Nord", 2)]},
}
TITLE_ROWS = 3  # a banner, the title and a blank row above the header


def cells(person: Person, number: int, *, latin: bool = False) -> list:
    return [
        number,
        person.last,
        person.first,
        "" if latin else person.last_ar,
        "" if latin else person.first_ar,
        (person.latin_sex or person.sex) if latin else person.sex,
        person.birth,
        person.cin,
        person.phone,
        (person.latin_province or person.province) if latin else person.province,
    ]


def as_typed(value) -> str:
    """A cell as a CSV keeps it: dates day first, numbers without decimals."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bénéficiaires"
    sheet.append(["Royaume du Maroc — المملكة المغربية"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[TITLE_ROWS + 1]:
        cell.font = Font(bold=True)
    for number, person in enumerate(ROWS, start=1):
        sheet.append(cells(person, number))
    for row in sheet.iter_rows(min_row=TITLE_ROWS + 2, min_col=7, max_col=7):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    workbook.create_sheet("Notes").append(["Liste arrêtée par la délégation."])
    workbook.save(path)
    return path


def write_csv(path: Path, encoding: str) -> Path:
    """The sheet saved as CSV by Windows in `encoding`: a title and a blank row
    above the header; Windows-1252 cannot keep the Arabic columns."""
    latin = encoding == "cp1252"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([TITLE])
        writer.writerow([])
        writer.writerow(LATIN_HEADER if latin else HEADER)
        for number, person in enumerate(ROWS, start=1):
            writer.writerow([as_typed(c) for c in cells(person, number, latin=latin)])
    return path


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(xlsx: Path, fmt: str, folder: Path) -> Path:
    """The workbook as LibreOffice saves it in `fmt` (xls or ods); the copy in
    files/ when LibreOffice is not installed."""
    program = libreoffice()
    if program is None:
        copy = folder / f"delegation.{fmt}"
        shutil.copy(FILES / f"delegation.{fmt}", copy)
        return copy
    subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            {"xls": "xls:MS Excel 97", "ods": "ods"}[fmt],
            "--outdir",
            str(folder),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{xlsx.stem}.{fmt}"
