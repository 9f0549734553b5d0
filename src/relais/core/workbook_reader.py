"""Reading a whole workbook (XLSX, XLS, ODS) in a process of its own.

    python -m relais.core.workbook_reader rows PATH SHEET MEMORY_MB

writes the rows of sheet number SHEET as CSV on its standard output, each cell
as text (see `cell_text`), from the first row and column of the sheet, so that
row numbers are the spreadsheet's; `names` instead of `rows` writes the names
of the sheets, as one row. calamine reads a sheet whole, as large as
the rectangle from its first to its last cell: a small file with two cells far
apart asks for gigabytes. This process may take MEMORY_MB and no more (an
address-space limit set before calamine is loaded); past it, it dies alone
and says so on its standard error, and the request or the task worker that
started it carries on. It imports nothing of Django, to start fast.
"""

import csv
import datetime
import resource
import sys

TOO_LARGE = "too-large"
UNREADABLE = "unreadable"


def cell_text(cell) -> str:
    """A cell as text: whole numbers without ".0" (phones, CINs, codes stored as
    numbers), dates as 2026-12-07, times dropped."""
    if cell is None:
        return ""
    if type(cell) is str:
        return cell.strip()
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()[:10]
    if isinstance(cell, datetime.timedelta | datetime.time):
        return ""
    return str(cell).strip()


def write_rows(mode: str, path: str, sheet: int, out) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    writer = csv.writer(out, lineterminator="\n")
    if mode == "names":
        writer.writerow(workbook.sheet_names)
        return
    data = workbook.get_sheet_by_index(sheet)
    # calamine's rows start at the sheet's first row, but its columns at the
    # first column that holds something: the cells are put back in place.
    padding = [""] * (data.start or (0, 0))[1]
    for row in data.iter_rows():
        # Most cells are text: they skip the checks of cell_text.
        writer.writerow(
            padding + [c.strip() if type(c) is str else cell_text(c) for c in row]
        )


def main(argv: list[str]) -> int:
    mode, path, sheet, megabytes = argv[1], argv[2], int(argv[3]), int(argv[4])
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        write_rows(mode, path, sheet, sys.stdout)
    except MemoryError:
        sys.stderr.write(TOO_LARGE)
        return 3
    except BrokenPipeError:  # the reader had enough rows
        return 0
    except Exception:  # calamine raises its own types for broken files
        sys.stderr.write(UNREADABLE)
        return 2
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
