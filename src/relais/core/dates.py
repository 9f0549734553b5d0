"""Calendar arithmetic the cascade needs: months, not days."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or the month's last day when it
    is shorter: a certification of 31 August for six months ends on 28 or 29
    February."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def month_start(day: datetime.date, months: int = 0) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    return add_months(day.replace(day=1), months)
