"""Reading uploaded spreadsheets (CSV or XLSX) safely, as a stream of rows.

Hostile files are refused before any parsing, with a message for the user: too
large, not what they claim to be (magic bytes), zip bombs, XML entity tricks, and
broken encodings. Rows are then streamed, never loaded whole: a 500,000-row file
takes the memory of one row at a time (plus calamine's own buffers for XLSX).
"""

import csv
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from defusedxml import ElementTree as SafeXML
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from .errors import ApplicationError

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000
# An XLSX's parts, unpacked, may be this much larger than the file, and no more.
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
XML_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def file_format(path: Path, name: str) -> str:
    """'csv' or 'xlsx', after checking the file is really that and is not hostile."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ApplicationError(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise ApplicationError(_("The file is empty."))
    with path.open("rb") as handle:
        head = handle.read(8192)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise ApplicationError(_("This file is not a real XLSX workbook."))
        _check_workbook(path)
        return "xlsx"
    if suffix == ".csv":
        if head.startswith(ZIP_MAGIC) or b"\x00" in head:
            raise ApplicationError(_("This file is not a real CSV file."))
        return "csv"
    raise ApplicationError(_("Send a CSV or XLSX file."))


def _check_workbook(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(e.file_size for e in entries)
            packed = max(sum(e.compress_size for e in entries), 1)
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
                raise ApplicationError(
                    _("This workbook unpacks to far more than its size: refused.")
                )
            names = {e.filename for e in entries}
            if not all(part in names for part in XML_PARTS):
                raise ApplicationError(_("This file is not a real XLSX workbook."))
            for part in XML_PARTS:
                SafeXML.fromstring(archive.read(part))
            # Sheets can be large: their declarations come first, so the head is
            # enough to catch a DTD or entity declaration.
            for name in names:
                if name.startswith("xl/worksheets/") or name.endswith(
                    "sharedStrings.xml"
                ):
                    with archive.open(name) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ApplicationError(
                            _("This workbook declares XML entities: refused.")
                        )
    except (zipfile.BadZipFile, SafeXML.ParseError) as error:
        raise ApplicationError(_("This file is not a real XLSX workbook.")) from error
    except DefusedXmlException as error:
        raise ApplicationError(
            _("This workbook declares XML entities: refused.")
        ) from error


def rows(path: Path, fmt: str) -> Iterator[list[str]]:
    """Every row as a list of strings, the header first; stops at MAX_ROWS."""
    source = _csv_rows(path) if fmt == "csv" else _xlsx_rows(path)
    # The header and MAX_ROWS rows, without a check on every row.
    yield from islice(source, MAX_ROWS + 1)
    if next(source, None) is not None:
        raise ApplicationError(
            _("The file has more than %(rows)s rows.") % {"rows": f"{MAX_ROWS:,}"}
        )


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as raw:
        sample = raw.read(8192)
    try:
        dialect = csv.Sniffer().sniff(sample.decode("utf-8-sig", "ignore"), ",;\t")
    except csv.Error:
        dialect = csv.excel
    with path.open(encoding="utf-8-sig", errors="strict", newline="") as text:
        try:
            yield from csv.reader(text, dialect)
        except UnicodeDecodeError as error:
            raise ApplicationError(
                _("The CSV file is not in UTF-8: save it again as “CSV UTF-8”.")
            ) from error


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        for row in sheet.iter_rows():
            # Most cells are text: they skip the checks of _text.
            yield [c.strip() if type(c) is str else _text(c) for c in row]
    except ApplicationError:
        raise
    except Exception as error:  # calamine raises its own types for broken files
        raise ApplicationError(_("This XLSX workbook cannot be read.")) from error


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10]
    return str(cell).strip()


def read_table(uploaded) -> list[dict[str, str]]:
    """A small uploaded sheet (a session's attendance or scores) as dictionaries
    keyed by its header row, lower-cased. Goes through the same checks."""
    suffix = Path(uploaded.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        shutil.copyfileobj(uploaded, copy)
        copy.flush()
        path = Path(copy.name)
        stream = rows(path, file_format(path, uploaded.name))
        header = [cell.strip().lower() for cell in next(stream, [])]
        table = [dict(zip(header, row, strict=False)) for row in stream if any(row)]
    if not header:
        raise ApplicationError(_("The file is empty."))
    return table
