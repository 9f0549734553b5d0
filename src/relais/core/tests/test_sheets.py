"""Reading uploaded sheets: the same rows however they are read, in bounded memory."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from relais.core import sheets
from relais.core.errors import ApplicationError


def xlsx(tmp_path, rows, name="sheet.xlsx", title_rows=0, **cells):
    """A workbook as Excel writes it: shared strings, dates as date cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bénéficiaires"
    for _ in range(title_rows):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    for reference, value in cells.items():
        sheet[reference] = value
    workbook.create_sheet("Autre")
    path = tmp_path / name
    workbook.save(path)
    return path


ROWS = [
    ["Nom", "Prénom", "Naissance", "Téléphone", "Note"],
    ["El Amrani", "Mohamed", datetime.date(1984, 3, 12), 212661234567, 12.5],
    ["Bennani", "فاطمة", datetime.datetime(1990, 7, 1), 639703760, None],
    [None, None, None, None, None],
    ["Tazi", "Youssef", "1968", "06 61 23 45 67", 14],
]
EXPECTED = [
    ["Nom", "Prénom", "Naissance", "Téléphone", "Note"],
    ["El Amrani", "Mohamed", "1984-03-12", "212661234567", "12.5"],
    ["Bennani", "فاطمة", "1990-07-01", "639703760"],
    [],
    ["Tazi", "Youssef", "1968", "06 61 23 45 67", "14"],
]


def trimmed(rows):
    """Rows without their empty cells at the end (calamine pads to the width)."""
    result = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        result.append(row)
    return result


def test_the_head_of_a_workbook_and_its_full_read_agree(tmp_path):
    """Streamed head and calamine's read give the same text, row for row,
    numbered as in the spreadsheet even below title rows."""
    path = xlsx(tmp_path, ROWS, title_rows=2)
    fmt = sheets.file_format(path, path.name)
    expected = [[], [], *EXPECTED]
    assert trimmed(sheets.head(path, fmt, count=50)) == expected
    assert trimmed(sheets.rows(path, fmt)) == expected
    assert sheets.sheet_names(path, fmt) == ["Bénéficiaires", "Autre"]
    assert trimmed(sheets.head(path, fmt, count=3)) == [[], [], EXPECTED[0]]


def test_a_sheet_with_two_cells_far_apart_is_refused_without_exhausting_memory(
    tmp_path, settings
):
    """A few bytes on disk, billions of cells for calamine: the reading process
    runs out of its allowance alone, and the user reads why."""
    settings.RELAIS_WORKBOOK_MEMORY_MB = 400
    path = xlsx(tmp_path, [["Nom"]], XFD1048576="fin")
    fmt = sheets.file_format(path, path.name)
    assert trimmed(sheets.head(path, fmt, count=2)) == [["Nom"]]
    with pytest.raises(ApplicationError) as error:
        list(sheets.rows(path, fmt))
    assert "more cells" in " ".join(error.value.messages) or "cellules" in " ".join(
        error.value.messages
    )


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1256", "النسب;الاسم\nالعمراني;محمد\nبناني;فاطمة الزهراء\n"),
        ("cp1252", "Nom;Prénom\nÉl Amrani;Zoé\nBennani;Hélène\n"),
        ("utf-8", "\ufeffNom;Prénom\nEl Amrani;Mohamed\n"),
    ],
)
def test_csv_files_in_windows_encodings_are_read(tmp_path, encoding, text):
    path = tmp_path / "people.csv"
    path.write_bytes(text.encode(encoding))
    found = sheets.detect_encoding(path)
    assert found == encoding
    expected = [line.split(";") for line in text.lstrip("\ufeff").splitlines()]
    assert list(sheets.rows(path, "csv", encoding=found)) == expected


def test_a_cell_too_long_or_a_line_too_long_is_refused_with_a_message(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text('Nom;Prénom\n"' + "x" * 200_000 + '";A\n', encoding="utf-8")
    with pytest.raises(ApplicationError):
        list(sheets.rows(path, "csv"))
    path.write_text("Nom;Prénom\n" + ";" * 2_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ApplicationError):
        list(sheets.rows(path, "csv"))


def test_a_broken_workbook_is_refused_with_a_message(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets/></workbook>")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(buffer.getvalue())
    fmt = sheets.file_format(path, path.name)
    with pytest.raises(ApplicationError):
        list(sheets.rows(path, fmt))


def test_a_sessions_sheet_is_small(tmp_path):
    rows = "session,enrolment\n" + "S,1\n" * (sheets.MAX_TABLE_ROWS + 1)
    with pytest.raises(ApplicationError):
        sheets.read_table(SimpleUploadedFile("sheet.csv", rows.encode()))
    big = b"session,enrolment\n" + b"S," + b"1" * (sheets.MAX_TABLE_BYTES + 1)
    with pytest.raises(ApplicationError):
        sheets.read_table(SimpleUploadedFile("sheet.csv", big))
