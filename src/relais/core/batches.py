"""Set-based writes: a batch of lines checked together, their problems by line.

The pages and the imports hand the same services a batch of lines (one
enrolment, one attendance mark, one score each). A service checks every line
against the same rules, then writes all of them, or none when any line has a
problem, unless the caller keeps the valid ones (an import with "skip the
invalid rows"). The outcome says what happened to each line, so that a page can
name the cell and an import the row and column.
"""

from collections import Counter
from dataclasses import dataclass, field


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
