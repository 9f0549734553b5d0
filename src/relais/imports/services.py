"""Running an import on behalf of a user: scope, plan, write, audit.

People go into an organisation; enrolments, attendance and scores name their
session on each row.
"""

from pathlib import Path

from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError

from . import mapping as columns
from . import people, records
from .layout import data_rows, read_layout
from .policies import ImportPolicy
from .selectors import known_places


def _open(
    path: Path,
    name: str,
    kind: str,
    mapping: dict[str, int] | None,
    frame: dict | None,
):
    """The file's rows under its header, the header, the columns to read (those
    given, or those guessed from the header) and the number of the first row.

    `frame` says where the data lies (sheet, header_row, encoding, as the
    columns page chose them); without it, they are found as on upload.
    """
    layout = read_layout(path, name, kind, **(frame or {}))
    headers = layout.headers
    if mapping is None:
        mapping = columns.guess(headers, columns.FIELDS[kind])
    if missing := columns.missing(kind, mapping):
        raise ApplicationError(
            _("No column was recognised for: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    return data_rows(path, layout), headers, mapping, layout.header_row + 1


def _refuse_problems(plan, skip_invalid: bool) -> None:
    if plan.problems and not skip_invalid:
        raise ApplicationError(
            _("%(count)s problems in the file: nothing was imported.")
            % {"count": len(plan.problems)}
        )


def _audited(actor, kind: str, target, name: str, plan, counts: dict) -> dict:
    """The counts of what was written, with the rows left out, once audited."""
    counts["invalid_rows"] = sorted(plan.problem_rows)
    audit(
        actor,
        f"import.{kind}",
        target,
        details={k: v for k, v in counts.items() if k != "invalid_rows"}
        | {"file": name, "invalid": len(counts["invalid_rows"])},
    )
    return counts


def people_plan(
    path: Path,
    name: str,
    *,
    actor,
    organisation=None,
    mapping: dict[str, int] | None = None,
    frame: dict | None = None,
    heartbeat=None,
):
    """Check a file and say what importing it would do for `actor`; writes
    nothing. Only people the actor may edit are matched, and places are read
    as the organisation's earlier imports mapped them.

    `heartbeat`, if given, is called every so many rows: the worker is alive.
    """
    known = known_places(organisation=organisation) if organisation else {}
    stream, headers, mapping, first_row = _open(path, name, "people", mapping, frame)
    return (
        headers,
        mapping,
        people.plan(
            stream,
            mapping,
            headers,
            actor=actor,
            known=known,
            first_row=first_row,
            heartbeat=heartbeat,
        ),
    )


def people_import(
    *,
    actor,
    path: Path,
    name: str,
    organisation,
    decisions=None,
    shown=None,
    apart=None,
    skip_invalid=False,
    mapping=None,
    frame=None,
    progress=None,
    heartbeat=None,
) -> dict:
    """Import a file of people into an organisation of the actor's scope.

    Either every row goes in, or (with skip_invalid) the valid ones do and the
    result names the rows left out. Nothing is half-written. The file is
    checked again as `actor`: what they may not edit is never matched.
    `decisions` and `shown` are what the user chose for each likely duplicate
    and whom they saw, `apart` the groups of rows that are several people
    (see people.write).
    """
    ImportPolicy.require(actor, "import_people", organisation)
    headers, mapping, plan = people_plan(
        path,
        name,
        actor=actor,
        organisation=organisation,
        mapping=mapping,
        frame=frame,
        heartbeat=heartbeat,
    )
    _refuse_problems(plan, skip_invalid)
    counts = people.write(
        plan,
        actor=actor,
        organisation=organisation,
        decisions=decisions or {},
        shown=shown,
        apart=apart,
        progress=progress,
    )
    return _audited(actor, "people", organisation, name, plan, counts)


def records_plan(
    *,
    actor,
    kind: str,
    path: Path,
    name: str,
    mapping: dict[str, int] | None = None,
    frame: dict | None = None,
    heartbeat=None,
) -> records.RecordPlan:
    """Check a file of enrolments, attendance or scores; writes nothing."""
    stream, headers, mapping, first_row = _open(path, name, kind, mapping, frame)
    return records.plan_records(
        kind,
        stream,
        headers,
        actor=actor,
        mapping=mapping,
        first_row=first_row,
        heartbeat=heartbeat,
    )


def records_import(
    *,
    actor,
    kind: str,
    path: Path,
    name: str,
    skip_invalid=False,
    mapping=None,
    frame=None,
    progress=None,
    heartbeat=None,
) -> dict:
    """Import enrolments, attendance or scores: whole, or the valid rows only."""
    plan = records_plan(
        actor=actor,
        kind=kind,
        path=path,
        name=name,
        mapping=mapping,
        frame=frame,
        heartbeat=heartbeat,
    )
    _refuse_problems(plan, skip_invalid)
    counts = records.write_records(plan, actor=actor, skip_invalid=skip_invalid)
    if progress:
        progress(counts["inserted"] + counts["updated"])
    return _audited(actor, kind, None, name, plan, counts)
