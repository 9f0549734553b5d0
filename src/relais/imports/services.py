"""Running an import of people on behalf of a user: scope, plan, write, audit."""

from pathlib import Path

from django.utils.translation import gettext as _

from relais.core.audit import audit
from relais.core.errors import ApplicationError
from relais.core.sheets import file_format, rows
from relais.people.policies import PersonPolicy

from . import mapping as columns
from . import people, records


def people_plan(
    path: Path, name: str, *, mapping: dict[str, int] | None = None, heartbeat=None
):
    """Check a file and say what importing it would do; writes nothing.

    `heartbeat`, if given, is called every so many rows: the worker is alive.
    """
    fmt = file_format(path, name)
    stream = rows(path, fmt)
    headers = next(stream, [])
    mapping = mapping if mapping is not None else columns.guess(headers)
    if missing := columns.missing("people", mapping):
        raise ApplicationError(
            _("No column was recognised for: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    return headers, mapping, people.plan(stream, mapping, headers, heartbeat=heartbeat)


def people_import(
    *,
    actor,
    path: Path,
    name: str,
    organisation,
    decisions=None,
    skip_invalid=False,
    mapping=None,
    progress=None,
    heartbeat=None,
) -> dict:
    """Import a file of people into an organisation of the actor's scope.

    Either every row goes in, or (with skip_invalid) the valid ones do and the
    result names the rows left out. Nothing is half-written.
    """
    if not PersonPolicy.can_affiliate(actor, organisation):
        raise ApplicationError(_("You cannot add people to this organisation."))
    headers, mapping, plan = people_plan(
        path, name, mapping=mapping, heartbeat=heartbeat
    )
    if plan.problems and not skip_invalid:
        raise ApplicationError(
            _("%(count)s problems in the file: nothing was imported.")
            % {"count": len(plan.problems)}
        )
    counts = people.write(
        plan, organisation=organisation, decisions=decisions or {}, progress=progress
    )
    counts["invalid_rows"] = sorted(plan.problem_rows)
    audit(
        actor,
        "import.people",
        organisation,
        details={k: v for k, v in counts.items() if k != "invalid_rows"}
        | {"file": name, "invalid": len(counts["invalid_rows"])},
    )
    return counts


def records_plan(
    *,
    actor,
    kind: str,
    path: Path,
    name: str,
    mapping: dict[str, int] | None = None,
    heartbeat=None,
) -> records.RecordPlan:
    """Check a file of enrolments, attendance or scores; writes nothing."""
    stream = rows(path, file_format(path, name))
    headers = next(stream, [])
    mapping = (
        mapping
        if mapping is not None
        else columns.guess(headers, columns.RECORD_FIELDS[kind])
    )
    if missing := columns.missing(kind, mapping):
        raise ApplicationError(
            _("No column was recognised for: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    return records.plan_records(
        kind, stream, headers, actor=actor, mapping=mapping, heartbeat=heartbeat
    )


def records_import(
    *,
    actor,
    kind: str,
    path: Path,
    name: str,
    skip_invalid=False,
    mapping=None,
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
        heartbeat=heartbeat,
    )
    if plan.problems and not skip_invalid:
        raise ApplicationError(
            _("%(count)s problems in the file: nothing was imported.")
            % {"count": len(plan.problems)}
        )
    counts = records.write_records(kind, plan, progress=progress)
    counts["invalid_rows"] = sorted(plan.problem_rows)
    audit(
        actor,
        f"import.{kind}",
        details={k: v for k, v in counts.items() if k != "invalid_rows"}
        | {"file": name, "invalid": len(counts["invalid_rows"])},
    )
    return counts
