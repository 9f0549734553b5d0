"""The dry run's report as a workbook: every problem by row and column, the
likely duplicates, the rows that look like one person, and how each column
was read."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from relais.core.spreadsheets import neutralise

from .records import RecordPlan


def problems_workbook(plan, target) -> None:
    """Write the report to `target`, a path or a binary file; every cell goes
    through the formula guard."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Problems"))
    sheet.append([_("Row"), _("Column"), _("Problem")])
    for problem in plan.problems:
        sheet.append(
            [problem.row, neutralise(problem.column), neutralise(problem.message)]
        )
    if isinstance(plan, RecordPlan):  # records have no likely duplicates
        workbook.save(target)
        return
    likely = workbook.create_sheet(_("Likely duplicates"))
    likely.append([_("Row"), _("Name in the file"), _("Existing person"), _("Record")])
    for number, person_id, data, name in plan.likely:
        likely.append(
            [
                number,
                neutralise(f"{data['first_name']} {data['last_name']}"),
                neutralise(name),
                person_id,
            ]
        )
    groups = workbook.create_sheet(_("One person several times"))
    groups.append([_("Rows")])
    for rows in plan.groups:
        groups.append([", ".join(map(str, rows))])
    columns = workbook.create_sheet(_("Columns"))
    columns.append(
        [_("Column"), _("Filled"), _("As written"), _("Converted"), _("Mapped by you")]
        + [_("Refused")]
    )
    for column in plan.columns:
        columns.append(
            [
                neutralise(column["column"]),
                column["filled"],
                column["as_written"],
                "; ".join(f"{n} {how}" for how, n in column["converted"].items()),
                column["mapped"],
                column["refused"],
            ]
        )
    workbook.save(target)
