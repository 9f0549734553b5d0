"""Reading the values of a spreadsheet's cells as people write them.

Spreadsheets store what a delegation types in their own way: a birth date may
be a real date cell, an Excel serial number, 12/03/84 or only the year 1968;
a phone typed as a number loses its leading 0 (639703760) or its + (2126…).
Each reader returns the value and how it was read ("as written", or the
conversion made), so that a dry run can say, column by column, what it will
write; a value it cannot read raises ValueError with the user's message.
Whether what was read is a possible person (a birth in the past, a valid
phone or CIN) is decided after, by the rules of the person pages
(people.bulk.check_details).
"""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.core.validators import CIN_PATTERN

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
CIN_NOISE = re.compile(r"[\s.\-_/]")

# How a value was read, as the dry run reports it column by column.
AS_WRITTEN = "as written"
HOW = {
    "serial": gettext_lazy("Excel date number read as a date"),
    "two_digits": gettext_lazy("two-digit year completed"),
    "year_alone": gettext_lazy("year alone kept as the birth year"),
    "month_year": gettext_lazy("month and year: the year kept"),
    "leading_zero": gettext_lazy("leading 0 put back"),
    "country_code": gettext_lazy("+ put back before 212"),
    "cin_cleaned": gettext_lazy("spaces, signs or small letters corrected"),
    "name": gettext_lazy("name recognised"),
}


def read_date(value: str) -> datetime.date:
    """A day written 2026-12-07 or 07/12/2026; ValueError otherwise."""
    value = value.strip()
    match = ISO_DATE.match(value)
    if match:
        year, month, day = (int(x) for x in match.groups())
        return datetime.date(year, month, day)
    match = DAY_FIRST.match(value)
    if not match or len(match[3]) != 4:
        raise ValueError(value)
    day, month, year = (int(x) for x in match.groups())
    return datetime.date(year, month, day)


def read_birth(value: str, today: datetime.date) -> tuple:
    """(birth date or None, birth year, how) from a birth cell.

    Days come first, as in Morocco and France (12/03/1984 is 12 March). A
    two-digit year is the one of the last hundred years; when both centuries
    fit, the cell is refused rather than guessed.
    """
    text = value.strip()
    how = AS_WRITTEN
    if text.isdigit() and len(text) == 4:
        return None, int(text), "year_alone"
    if SERIAL.match(text):
        day = EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
        return day, day.year, "serial"
    if match := MONTH_YEAR.match(text):
        if not 1 <= int(match[1]) <= 12:
            raise ValueError(_("“%(value)s” is not a possible date.") % {"value": text})
        return None, int(match[2]), "month_year"
    match = ISO_DATE.match(text)
    if match:
        year, month, day_ = (int(x) for x in match.groups())
    elif match := DAY_FIRST.match(text):
        day_, month, year = (int(x) for x in match.groups())
        if len(match[3]) == 2:
            year, how = _century(year, today, text), "two_digits"
    else:
        raise ValueError(_("“%(value)s” is not a possible date.") % {"value": text})
    try:
        day = datetime.date(year, month, day_)
    except ValueError as error:
        raise ValueError(
            _("“%(value)s” is not a possible date.") % {"value": text}
        ) from error
    return day, day.year, how


def _century(two_digits: int, today: datetime.date, text: str) -> int:
    """The year of the last hundred years that ends with these two digits."""
    recent = 2000 + two_digits if 2000 + two_digits <= today.year else None
    older = 1900 + two_digits if 1900 + two_digits >= today.year - 100 else None
    if recent and older:
        raise ValueError(
            _("“%(value)s”: the year could be 19… or 20…: write it in full.")
            % {"value": text}
        )
    return recent or older


def read_phone(value: str) -> tuple[str, str]:
    """(the number as written, or as it was before a spreadsheet made a number
    of it, how)."""
    if value.isdigit():
        # A spreadsheet that stored the number as a number dropped its 0 or +.
        if len(value) == 9 and value[0] in "567":
            return "0" + value, "leading_zero"
        if len(value) == 12 and value.startswith("212") and value[3] in "567":
            return "+" + value, "country_code"
    return value, AS_WRITTEN


def read_cin(value: str) -> tuple[str, str]:
    """(the CIN, how): upper case, without stray spaces or signs."""
    if CIN_PATTERN.match(value):
        return value, AS_WRITTEN
    cleaned = CIN_NOISE.sub("", value).upper()
    return cleaned, "cin_cleaned" if cleaned != value else AS_WRITTEN
