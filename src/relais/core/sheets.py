"""Reading uploaded spreadsheets safely: CSV, XLSX, XLS and ODS.

Hostile files are refused before any parsing, with a message for the user: too
large, not what they claim to be (magic bytes), zip bombs, XML entity tricks.
Then no read takes more memory than a row, a bounded head, or a bounded child
process:

- `head` gives a file's first rows, for the pages that show them. CSV, XLSX and
  ODS are read as a stream that stops there (see workbook_heads); an XLS (a
  binary format of at most 65,536 rows) is read like a whole workbook.
- `rows` streams every row, for imports. A CSV is read line by line, a line
  and a cell at most so long. A workbook is read by calamine in a process of
  its own (see workbook_reader), limited in memory, whose rows come back
  through a pipe while this process checks the ones before.

CSV files may come in UTF-8 (with or without BOM) or in the encodings Windows
gives Arabic and French spreadsheets: `detect_encoding` guesses, the user may
choose another.
"""

import codecs
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from charset_normalizer import from_bytes
from defusedxml import ElementTree as SafeXML
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from . import workbook_heads
from .errors import ApplicationError
from .workbook_reader import TOO_LARGE, UNREADABLE

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000
# A workbook's parts, unpacked, may be this much larger than the file, and no more.
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200
# A line of a CSV file (a row, or a part of a cell written over several lines).
MAX_LINE = 1024 * 1024
# A cell of a CSV file: the csv module's own limit, said in the user's words.
MAX_CELL = csv.field_size_limit()
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
PARTS = {
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "ods": ("mimetype", "content.xml"),
}
# The encodings a CSV may come in: UTF-8, then what Windows and older systems
# write for Arabic and for French.
ENCODINGS = ("utf-8", "cp1256", "cp1252", "latin-1")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".xls": "xls", ".ods": "ods"}


def file_format(path: Path, name: str) -> str:
    """'csv', 'xlsx', 'xls' or 'ods', after checking the file really is that and
    is not hostile."""
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
    fmt = SUFFIXES.get(Path(name).suffix.lower())
    if fmt is None:
        raise ApplicationError(_("Send a CSV, XLSX, XLS or ODS file."))
    if fmt == "csv":
        if head.startswith((ZIP_MAGIC, OLE_MAGIC)) or b"\x00" in head:
            raise ApplicationError(_("This file is not a real CSV file."))
    elif fmt == "xls":
        if not head.startswith(OLE_MAGIC):
            raise ApplicationError(_("This file is not a real XLS workbook."))
    elif not head.startswith(ZIP_MAGIC):
        raise ApplicationError(_not_real(fmt))
    else:
        _check_archive(path, fmt)
    return fmt


def _not_real(fmt: str) -> str:
    return {
        "xlsx": _("This file is not a real XLSX workbook."),
        "ods": _("This file is not a real ODS workbook."),
    }[fmt]


def _check_archive(path: Path, fmt: str) -> None:
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
            if not all(part in names for part in PARTS[fmt]):
                raise ApplicationError(_not_real(fmt))
            if fmt == "ods" and archive.read("mimetype").strip() != ODS_MIMETYPE:
                raise ApplicationError(_not_real(fmt))
            small = [p for p in PARTS[fmt] if p.endswith(".xml") and p != "content.xml"]
            for part in small:
                SafeXML.fromstring(archive.read(part))
            # Sheets can be large: their declarations come first, so the head is
            # enough to catch a DTD or entity declaration.
            for name in names:
                if name.endswith(".xml"):
                    with archive.open(name) as part:
                        start = part.read(4096)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        raise ApplicationError(
                            _("This workbook declares XML entities: refused.")
                        )
    except (zipfile.BadZipFile, SafeXML.ParseError) as error:
        raise ApplicationError(_not_real(fmt)) from error
    except DefusedXmlException as error:
        raise ApplicationError(
            _("This workbook declares XML entities: refused.")
        ) from error


# -- Encodings of CSV files -------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """The likeliest encoding of a CSV file, among ENCODINGS.

    UTF-8 is checked on the whole file: text in another encoding is almost
    never valid UTF-8. Otherwise the first megabyte decides between Arabic
    and French Windows encodings.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    with path.open("rb") as raw:
        sample = raw.read(1 << 20)
    best = from_bytes(sample, cp_isolation=list(ENCODINGS[1:])).best()
    if best is None:
        return "cp1252"
    return codecs.lookup(best.encoding).name.replace("_", "-")


def _csv_text(path: Path, encoding: str):
    name = "utf-8-sig" if encoding == "utf-8" else encoding
    return path.open(encoding=name, errors="strict", newline="")


def _lines(text) -> Iterator[str]:
    for line in text:
        if len(line) > MAX_LINE:
            raise ApplicationError(
                _("A line of the file is longer than %(size)s characters: refused.")
                % {"size": f"{MAX_LINE:,}"}
            )
        yield line


def _csv_rows(path: Path, encoding: str) -> Iterator[list[str]]:
    with _csv_text(path, encoding) as text:
        try:
            sample = text.read(8192)
        except UnicodeDecodeError as error:
            raise _not_encoding(encoding) from error
    with _csv_text(path, encoding) as text:
        try:
            yield from csv.reader(_lines(text), _dialect(sample))
        except UnicodeDecodeError as error:
            raise _not_encoding(encoding) from error
        except csv.Error as error:
            raise ApplicationError(
                _(
                    "A cell of the file holds more than %(size)s characters, or "
                    "its quotes are not closed: refused."
                )
                % {"size": f"{MAX_CELL:,}"}
            ) from error


# French Excel writes ";", English Excel ",", some exports a tab.
DELIMITERS = ";,\t"


def _dialect(sample: str):
    """The CSV dialect of a sample. Title rows above the header, with no
    delimiter at all, defeat the standard sniffer: then the delimiter is the
    one that splits the most lines into the same number of cells."""
    try:
        return csv.Sniffer().sniff(sample, DELIMITERS)
    except csv.Error:
        pass
    lines = [line for line in sample.splitlines()[:100] if line.strip()]

    def steadiness(delimiter: str) -> int:
        counts = Counter(line.count(delimiter) for line in lines)
        counts.pop(0, None)
        return max(counts.values(), default=0)

    best = max(DELIMITERS, key=steadiness)

    class Found(csv.excel):
        delimiter = best

    return Found


def _not_encoding(encoding: str) -> ApplicationError:
    return ApplicationError(
        _("The file cannot be read as %(encoding)s: choose another encoding.")
        % {"encoding": encoding}
    )


# -- Workbooks --------------------------------------------------------------------


def sheet_names(path: Path, fmt: str) -> list[str]:
    """The sheets of a workbook, in order; a CSV has one, unnamed."""
    if fmt == "csv":
        return [""]
    try:
        if fmt == "xls":
            return list(_child(path, "names", 0))[0]
        with zipfile.ZipFile(path) as archive:
            if fmt == "ods":
                return workbook_heads.ods_sheet_names(archive)
            return workbook_heads.xlsx_sheet_names(archive)
    except ApplicationError:
        raise
    except Exception as error:
        raise ApplicationError(_("This workbook cannot be read.")) from error


def _child(path: Path, mode: str, sheet: int) -> Iterator[list[str]]:
    """Rows of a workbook, read by calamine in a process limited in memory."""
    package = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package), *sys.path])}
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "relais.core.workbook_reader",
                mode,
                str(path),
                str(sheet),
                str(settings.RELAIS_WORKBOOK_MEMORY_MB),
            ],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        try:
            text = (line.decode("utf-8") for line in process.stdout)
            yield from csv.reader(text)
            process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        if process.returncode:
            errors.seek(0)
            said = errors.read(200).decode("utf-8", "replace")
            if UNREADABLE in said:
                raise ApplicationError(_("This workbook cannot be read."))
            if TOO_LARGE in said or process.returncode < 0:
                raise ApplicationError(
                    _(
                        "This sheet spreads over more cells than Relais reads at "
                        "once: remove the empty rows and columns around the data, "
                        "or split the file."
                    )
                )
            raise ApplicationError(_("This workbook cannot be read."))


# -- Reading ----------------------------------------------------------------------


def head(
    path: Path, fmt: str, *, sheet: int = 0, count: int = 30, encoding: str = "utf-8"
) -> list[list[str]]:
    """The first `count` rows of a sheet (blank ones included), read as a stream."""
    if fmt == "csv":
        return list(islice(_csv_rows(path, encoding), count))
    if fmt == "xls":
        return list(islice(_child(path, "rows", sheet), count))
    try:
        with zipfile.ZipFile(path) as archive:
            if fmt == "ods":
                return workbook_heads.ods_head(archive, sheet, count)
            return workbook_heads.xlsx_head(archive, sheet, count)
    except (ApplicationError, DefusedXmlException):
        raise
    except Exception as error:
        raise ApplicationError(_("This workbook cannot be read.")) from error


def rows(
    path: Path, fmt: str, *, sheet: int = 0, encoding: str = "utf-8"
) -> Iterator[list[str]]:
    """Every row of a sheet as a list of strings, from its first row; stops at
    MAX_ROWS."""
    csv_file = fmt == "csv"
    source = _csv_rows(path, encoding) if csv_file else _child(path, "rows", sheet)
    # The header and MAX_ROWS rows, without a check on every row.
    yield from islice(source, MAX_ROWS + 1)
    if next(source, None) is not None:
        raise ApplicationError(
            _("The file has more than %(rows)s rows.") % {"rows": f"{MAX_ROWS:,}"}
        )


# A session's sheet holds its participants: a few dozen rows, a few hundred at most.
MAX_TABLE_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 5000


def read_table(uploaded) -> list[dict[str, str]]:
    """A small uploaded sheet (a session's attendance or scores) as dictionaries
    keyed by its header row, lower-cased. Goes through the same checks, and
    refuses what no session's sheet could be."""
    if uploaded.size > MAX_TABLE_BYTES:
        raise ApplicationError(
            _("A session's sheet cannot be larger than %(size)s MB.")
            % {"size": MAX_TABLE_BYTES // (1024 * 1024)}
        )
    suffix = Path(uploaded.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        shutil.copyfileobj(uploaded, copy)
        copy.flush()
        path = Path(copy.name)
        fmt = file_format(path, uploaded.name)
        encoding = detect_encoding(path) if fmt == "csv" else "utf-8"
        stream = rows(path, fmt, encoding=encoding)
        header = [cell.strip().lower() for cell in next(stream, [])]
        table = []
        for row in stream:
            if any(row):
                table.append(dict(zip(header, row, strict=False)))
            if len(table) > MAX_TABLE_ROWS:
                raise ApplicationError(
                    _("A session's sheet cannot have more than %(rows)s rows.")
                    % {"rows": f"{MAX_TABLE_ROWS:,}"}
                )
    if not header:
        raise ApplicationError(_("The file is empty."))
    return table
