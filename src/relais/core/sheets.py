"""Reading uploaded spreadsheets (CSV or XLSX) safely, row by row.

The file is checked before it is parsed: its size, and that its first bytes are
those of the format it claims. XLSX is read with python-calamine.
"""

import csv
import io

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from .errors import ApplicationError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
ZIP_MAGIC = b"PK\x03\x04"


def read_table(uploaded) -> list[dict[str, str]]:
    """Rows as dictionaries keyed by the header row (lower-cased, stripped)."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    head = uploaded.read(4)
    uploaded.seek(0)
    name = uploaded.name.lower()
    if name.endswith(".xlsx"):
        if head != ZIP_MAGIC:
            raise ApplicationError(_("This file is not a real XLSX workbook."))
        rows = _xlsx_rows(uploaded)
    elif name.endswith(".csv"):
        if head.startswith(ZIP_MAGIC) or b"\x00" in uploaded.read(2048):
            raise ApplicationError(_("This file is not a real CSV file."))
        uploaded.seek(0)
        rows = _csv_rows(uploaded)
    else:
        raise ApplicationError(_("Send a CSV or XLSX file."))
    if not rows:
        raise ApplicationError(_("The file is empty."))
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    if len(rows) - 1 > MAX_ROWS:
        raise ApplicationError(
            _("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS}
        )
    table = []
    for row in rows[1:]:
        cells = [_text(c) for c in row]
        if any(cells):
            table.append(dict(zip(header, cells, strict=False)))
    return table


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10]
    return str(cell).strip()


def _csv_rows(uploaded) -> list[list[str]]:
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(_("The CSV file must be encoded in UTF-8.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # a single column: nothing to sniff
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(uploaded) -> list[list]:
    try:
        workbook = CalamineWorkbook.from_filelike(uploaded)
        return workbook.get_sheet_by_index(0).to_python()
    except Exception as error:  # calamine raises its own types for broken files
        raise ApplicationError(_("This XLSX workbook cannot be read.")) from error
