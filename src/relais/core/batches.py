"""Set-based work: a batch of lines checked together, their problems by line,
and the reads that serve it, by thousands of keys at a time.

The pages and the imports hand the same services a batch of lines (one
enrolment, one attendance mark, one score each). A service checks every line
against the same rules, then writes all of them, or none when any line has a
problem, unless the caller keeps the valid ones (an import with "skip the
invalid rows"). The outcome says what happened to each line, so that a page can
name the cell and an import the row and column.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection


@dataclass(frozen=True)
class LineProblem:
    """A rule that a line of the batch breaks: its index, the field, why."""

    line: int
    field: str
    message: str


@dataclass
class BatchOutcome:
    """What a batch did, or would do when it was only checked."""

    lines: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[LineProblem] = field(default_factory=list)
    # What the new and changed lines became (an enrolment's status, say).
    statuses: Counter = field(default_factory=Counter)
    written: bool = False

    def problem(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(LineProblem(line, field_name, str(message)))

    @property
    def problem_lines(self) -> set[int]:
        return {p.line for p in self.problems}

    def may_write(self, *, keep_valid: bool) -> bool:
        """Whether the valid lines go in: all lines are valid, or the caller
        keeps the valid ones."""
        return keep_valid or not self.problems


def chunks(items: list, size: int = 5000):
    """Slices of a long list: SQLite takes a bounded number of parameters per
    statement, so `__in` lookups on thousands of values are asked in parts."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def select_in(
    table: str,
    columns: list[str],
    key: str,
    values: list,
    *,
    where: str = "",
    params: list | tuple = (),
) -> list[tuple]:
    """SELECT `columns` of the rows whose `key` is among `values` (a chunk), and
    that meet `where` with `params` if given.

    Plain SQL: the ORM prepares every value of a long IN list in Python. Values
    come as the driver gives them (dates are text on SQLite).
    """
    if not values:
        return []
    condition = f" AND {where}" if where else ""
    if connection.vendor == "postgresql":
        # One array rather than thousands of placeholders; sent as JSON, which
        # is encoded in C, where psycopg would quote a list in Python, element
        # by element. Typed, so that the index is used.
        kind = "bigint" if isinstance(values[0], int) else "text"
        array = f"ARRAY(SELECT json_array_elements_text(%s::json)::{kind})"
        match = f"{key} = ANY({array})"
        arguments = [json.dumps(values), *params]
    else:
        marks = ", ".join(["%s"] * len(values))
        match, arguments = f"{key} IN ({marks})", [*values, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} "  # nosec B608
            f"WHERE {match}{condition}",
            arguments,
        )
        return cursor.fetchall()
