"""Reading the values of a spreadsheet's cells as people write them."""

import datetime
import re

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def read_date(value: str) -> datetime.date:
    """A day written 2026-12-07 or 07/12/2026; ValueError otherwise."""
    value = value.strip()
    match = ISO_DATE.match(value)
    if match:
        year, month, day = (int(x) for x in match.groups())
    else:
        match = FRENCH_DATE.match(value)
        if not match:
            raise ValueError(value)
        day, month, year = (int(x) for x in match.groups())
    return datetime.date(year, month, day)
