"""The first rows of an XLSX or ODS sheet, read as a stream.

A page that shows a file's first rows must not read the whole file: a sheet of
a million rows, or one whose cells lie far apart, would take the request's
time and memory. Both formats are zipped XML, so their sheets are parsed as
they are unpacked and the parsing stops at the last row wanted. The XML goes
through defusedxml: no entity, no external reference.

Rows come numbered as in the spreadsheet, blank ones included, and cells are
text as `workbook_reader.cell_text` makes them from calamine's values, so that
a preview and a full read of the same file agree.
"""

import datetime
import re
import zipfile
from collections.abc import Iterator
from posixpath import dirname, join, normpath

from defusedxml.ElementTree import iterparse

from .workbook_reader import cell_text

# The head of a sheet never holds more columns than this.
MAX_HEAD_COLUMNS = 1000
# Excel's built-in number formats that show a date.
DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _column_index(reference: str) -> int:
    index = 0
    for letter in reference:
        if not letter.isalpha():
            break
        index = index * 26 + ord(letter.upper()) - 64
    return index - 1


def _put(row: list[str], index: int, value: str) -> None:
    if value and 0 <= index < MAX_HEAD_COLUMNS:
        row.extend([""] * (index + 1 - len(row)))
        row[index] = value


# -- XLSX -------------------------------------------------------------------------


class _Xlsx:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        names = set(archive.namelist())
        self.sheets, targets, date1904 = [], {}, False
        for _event, element in iterparse(archive.open("xl/workbook.xml")):
            tag = _local(element.tag)
            if tag == "sheet":
                self.sheets.append(
                    (element.get("name") or "", _attribute(element, "id"))
                )
            elif tag == "workbookPr":
                date1904 = element.get("date1904") in ("1", "true")
        rels = "xl/_rels/workbook.xml.rels"
        if rels in names:
            for _event, element in iterparse(archive.open(rels)):
                if _local(element.tag) == "Relationship":
                    target = element.get("Target") or ""
                    if target.startswith("/"):
                        target = target[1:]
                    else:
                        target = normpath(join(dirname("xl/workbook.xml"), target))
                    targets[element.get("Id")] = target
        self.paths = [targets.get(rid, "") for _name, rid in self.sheets]
        self.epoch = MAC_EPOCH if date1904 else EXCEL_EPOCH
        self.date_styles = self._date_styles() if "xl/styles.xml" in names else set()
        self.has_strings = "xl/sharedStrings.xml" in names

    def _date_styles(self) -> set[int]:
        """The indexes of the cell styles whose number format shows a date."""
        custom, styles, in_xfs = {}, [], False
        for event, element in iterparse(
            self.archive.open("xl/styles.xml"), events=("start", "end")
        ):
            tag = _local(element.tag)
            if tag == "cellXfs":
                in_xfs = event == "start"
            elif event == "end" and tag == "numFmt":
                code = QUOTED.sub("", element.get("formatCode") or "").lower()
                custom[int(element.get("numFmtId") or 0)] = "d" in code or "y" in code
            elif event == "end" and tag == "xf" and in_xfs:
                styles.append(int(element.get("numFmtId") or 0))
        return {
            index
            for index, number in enumerate(styles)
            if number in DATE_FORMATS or custom.get(number)
        }

    def shared_strings(self, needed: set[int]) -> dict[int, str]:
        """The shared strings of these indexes, read up to the last one."""
        if not needed or not self.has_strings:
            return {}
        last, found, index = max(needed), {}, 0
        for _event, element in iterparse(self.archive.open("xl/sharedStrings.xml")):
            if _local(element.tag) != "si":
                continue
            if index in needed:
                found[index] = "".join(
                    t.text or "" for t in element.iter() if _local(t.tag) == "t"
                )
            element.clear()
            index += 1
            if index > last:
                break
        return found

    def value(self, cell, strings_wanted: set[int]) -> str | int:
        kind, style = cell.get("t") or "n", int(cell.get("s") or 0)
        text = None
        for child in cell:
            tag = _local(child.tag)
            if tag == "v":
                text = child.text or ""
            elif tag == "is":
                text = "".join(
                    t.text or "" for t in child.iter() if _local(t.tag) == "t"
                )
        if text is None:
            return ""
        if kind == "s":
            index = int(text) if text.isdigit() else -1
            strings_wanted.add(index)
            return index  # replaced by its string once they are read
        if kind in ("str", "inlineStr", "e"):
            return text.strip() if kind != "e" else ""
        if kind == "b":
            return "1" if text == "1" else "0"
        if kind == "d":
            return text[:10]
        try:
            number = float(text)
        except ValueError:
            return text.strip()
        if style in self.date_styles:
            day = self.epoch + datetime.timedelta(days=number)
            return day.date().isoformat()
        return cell_text(number)

    def head(self, sheet: int, count: int) -> list[list[str]]:
        rows: list[list] = []
        wanted: set[int] = set()
        source = self.archive.open(self.paths[sheet])
        number = 0
        for _event, element in iterparse(source):
            if _local(element.tag) != "row":
                continue
            number = int(element.get("r") or number + 1)
            if number > count:
                break
            while len(rows) < number - 1:
                rows.append([])
            row: list = []
            column = -1
            for cell in element:
                if _local(cell.tag) != "c":
                    continue
                reference = cell.get("r")
                column = _column_index(reference) if reference else column + 1
                value = self.value(cell, wanted)
                if value != "":
                    row.extend([""] * (column + 1 - len(row)))
                    if column < MAX_HEAD_COLUMNS:
                        row[column] = value
            rows.append(row[:MAX_HEAD_COLUMNS])
            element.clear()
        strings = self.shared_strings(wanted)
        return [
            [strings.get(c, "").strip() if isinstance(c, int) else c for c in row]
            for row in rows
        ]


def xlsx_sheet_names(archive: zipfile.ZipFile) -> list[str]:
    return [name for name, _rid in _Xlsx(archive).sheets]


def xlsx_head(archive: zipfile.ZipFile, sheet: int, count: int) -> list[list[str]]:
    return _Xlsx(archive).head(sheet, count)


# -- ODS --------------------------------------------------------------------------

ODS_SHEET_NAME = re.compile(rb"<table:table\s[^>]*?table:name=\"([^\"]*)\"")


def ods_sheet_names(archive: zipfile.ZipFile) -> list[str]:
    """Found by a scan of the unpacked XML, without building its tree."""
    names, tail = [], b""
    with archive.open("content.xml") as content:
        while chunk := content.read(1 << 20):
            block = tail + chunk
            cut = block.rfind(b"<table:table")
            if cut < 0:
                cut = max(len(block) - 4096, 0)
            names += [m.decode() for m in ODS_SHEET_NAME.findall(block, 0, cut)]
            tail = block[cut:]
    names += [m.decode() for m in ODS_SHEET_NAME.findall(tail)]
    return [_unescape(name) for name in names]


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _ods_value(cell) -> str:
    kind = _attribute(cell, "value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return cell_text(float(_attribute(cell, "value") or ""))
        except ValueError:
            return ""
    if kind == "date":
        return (_attribute(cell, "date-value") or "")[:10]
    if kind == "boolean":
        return "1" if _attribute(cell, "boolean-value") == "true" else "0"
    if kind == "time":
        return ""
    paragraphs = ["".join(p.itertext()) for p in cell if _local(p.tag) == "p"]
    return "\n".join(paragraphs).strip()


def _ods_rows(archive: zipfile.ZipFile, sheet: int) -> Iterator[list[str]]:
    table = -1
    for event, element in iterparse(
        archive.open("content.xml"), events=("start", "end")
    ):
        tag = _local(element.tag)
        if event == "start":
            if tag == "table":
                table += 1
                if table > sheet:
                    return
            continue
        if tag != "table-row" or table != sheet:
            if tag == "table":
                element.clear()
            continue
        row: list[str] = []
        column = 0
        for cell in element:
            if _local(cell.tag) not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(_attribute(cell, "number-columns-repeated") or 1)
            value = _ods_value(cell)
            if value:
                for index in range(column, min(column + repeat, MAX_HEAD_COLUMNS)):
                    _put(row, index, value)
            column += repeat
        repeat = int(_attribute(element, "number-rows-repeated") or 1)
        element.clear()
        for _ in range(repeat):
            yield list(row)


def ods_head(archive: zipfile.ZipFile, sheet: int, count: int) -> list[list[str]]:
    rows = []
    for row in _ods_rows(archive, sheet):
        rows.append(row)
        if len(rows) == count:
            break
    return rows
