"""Where the data of a file lies: which sheet, which encoding, which header row.

Delegations' files rarely start with their header: a title, a date, a merged
banner and a blank row come first, and a workbook may hold several sheets.
`read_layout` proposes the first sheet with a recognisable header, the CSV
encoding that reads the file, and the header row (imports.mapping.find_header),
from the first rows only; the user may choose otherwise on the columns page.
`data_rows` then reads the rows under the header, numbered as in the
spreadsheet.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.utils.translation import gettext as _

from relais.core.errors import ApplicationError
from relais.core.sheets import (
    ENCODINGS,
    detect_encoding,
    file_format,
    head,
    rows,
    sheet_names,
)

from . import mapping as columns

# The rows read to find the header and shown on the columns page.
HEAD_ROWS = columns.HEADER_SEARCH_ROWS
MAX_COLUMNS = 500
# Sheets looked at for a header, in order.
MAX_SHEETS = 10


@dataclass
class Layout:
    fmt: str
    sheets: list[str]
    sheet: int
    encoding: str
    head: list[list[str]]
    header_row: int  # as numbered in the spreadsheet, from 1

    @property
    def headers(self) -> list[str]:
        return [cell.strip()[:200] for cell in self.head[self.header_row - 1]]


def _head(path: Path, fmt: str, sheet: int, encoding: str) -> list[list[str]]:
    rows_ = head(path, fmt, sheet=sheet, count=HEAD_ROWS, encoding=encoding)
    if any(len(row) > MAX_COLUMNS for row in rows_):
        raise ApplicationError(
            _("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}
        )
    return [[cell[:200] for cell in row] for row in rows_]


def _score(rows: list[list[str]], kind: str) -> int:
    return max(
        (len(columns.guess(row, columns.FIELDS[kind])) for row in rows), default=0
    )


def read_layout(
    path: Path,
    name: str,
    kind: str,
    *,
    sheet: int | None = None,
    encoding: str = "",
    header_row: int | None = None,
) -> Layout:
    """The file's layout: what is given, and a proposal for the rest."""
    fmt = file_format(path, name)
    if fmt == "csv":
        encoding = encoding or detect_encoding(path)
        if encoding not in ENCODINGS:
            raise ApplicationError(_("Choose one of the encodings offered."))
    else:
        encoding = ""
    sheets = sheet_names(path, fmt)
    if sheet is not None and not 0 <= sheet < len(sheets):
        raise ApplicationError(_("Choose one of the sheets of the file."))
    if sheet is None:
        sheet = 0
        for index in range(min(len(sheets), MAX_SHEETS)):
            if _score(_head(path, fmt, index, encoding), kind) >= 2:
                sheet = index
                break
    rows_ = _head(path, fmt, sheet, encoding)
    if not any(any(cell.strip() for cell in row) for row in rows_):
        raise ApplicationError(_("The file is empty."))
    if header_row is None:
        header_row = columns.find_header(rows_, columns.FIELDS[kind]) + 1
    if not 1 <= header_row <= len(rows_):
        raise ApplicationError(
            _("The header must be one of the first %(count)s rows.")
            % {"count": len(rows_)}
        )
    layout = Layout(fmt, sheets, sheet, encoding, rows_, header_row)
    if not any(layout.headers):
        raise ApplicationError(_("The header row is empty: choose another one."))
    return layout


def data_rows(path: Path, layout: Layout) -> Iterator[list[str]]:
    """The rows under the header; the first is row `layout.header_row + 1`."""
    stream = rows(path, layout.fmt, sheet=layout.sheet, encoding=layout.encoding)
    return islice(stream, layout.header_row, None)
