"""`relais import people FILE --organisation CODE --as USER`: import from the terminal.

`relais import sweep` fails the imports from the web whose worker stopped and
deletes the files uploaded and never imported (the task worker does it too,
before each import); run it from cron, say hourly.

`relais import enrolments|attendance|scores FILE --as USER` imports the cascade's
records across sessions (columns: session, cin, then date and present, or
instrument and score).

The sheet, the header row and a CSV's encoding are found as on the web
(`--sheet`, `--header-row` and `--encoding` say otherwise). `--dry-run` checks
the file and reports every problem by row and column (and writes them to
`--report report.xlsx`); without it the file goes in whole, or, with
`--skip-invalid`, every valid row goes in and the others are named. Places
are read as the organisation's earlier imports on the web mapped them.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from relais.accounts.models import User
from relais.core.errors import ApplicationError
from relais.core.sheets import ENCODINGS
from relais.imports.report import problems_workbook
from relais.imports.services import (
    people_import,
    people_plan,
    records_import,
    records_plan,
)
from relais.imports.tasks import import_jobs_sweep
from relais.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import people or records from a CSV, XLSX, XLS or ODS file (dry run, "
        "report, commit)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=["people", "enrolments", "attendance", "scores", "sweep"]
        )
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--organisation", help="organisation code (people)")
        parser.add_argument("--as", dest="username")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--report", type=Path)
        parser.add_argument("--skip-invalid", action="store_true")
        parser.add_argument(
            "--likely",
            choices=["merge", "skip", "create"],
            default="skip",
            help="what to do with likely duplicates (default: skip them)",
        )
        parser.add_argument(
            "--groups",
            choices=["one", "several"],
            default="one",
            help="rows that look like one person written several times: one "
            "person (default) or several",
        )
        parser.add_argument(
            "--sheet", type=int, help="the sheet's number, from 1 (default: found)"
        )
        parser.add_argument(
            "--header-row", type=int, help="the header's row (default: found)"
        )
        parser.add_argument(
            "--encoding",
            choices=ENCODINGS,
            help="a CSV file's encoding (default: found)",
        )
        parser.add_argument("--language", default="fr", choices=["fr", "ar", "en"])

    def handle(self, *args, kind, file, organisation, username, **options):
        translation.activate(options["language"])
        if kind == "sweep":
            swept = import_jobs_sweep()
            self.stdout.write(
                f"Stopped imports marked failed: {swept['stopped']}; "
                f"uploads deleted: {swept['expired']}."
            )
            return
        if file is None or not username:
            raise CommandError("A file and --as USER are needed.")
        try:
            actor = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(str(error)) from error
        options["frame"] = {
            "sheet": options["sheet"] - 1 if options["sheet"] else None,
            "header_row": options["header_row"],
            "encoding": options["encoding"] or "",
        }
        if kind != "people":
            return self._records(actor, kind, file, options)
        try:
            target = Organisation.objects.get(code=(organisation or "").upper())
        except Organisation.DoesNotExist as error:
            raise CommandError(
                "--organisation: no organisation has this code."
            ) from error
        try:
            _headers, mapping, plan = people_plan(
                file,
                file.name,
                actor=actor,
                organisation=target,
                frame=options["frame"],
            )
        except ApplicationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._summary(plan)
        if options["report"]:
            problems_workbook(plan, options["report"])
        if options["dry_run"]:
            return
        decisions = {row: options["likely"] for row, *_ in plan.likely}
        shown = {row: person for row, person, *_ in plan.likely}
        self.stdout.write("Writing…")
        self.stdout.flush()
        try:
            counts = people_import(
                actor=actor,
                path=file,
                name=file.name,
                organisation=target,
                decisions=decisions,
                shown=shown,
                apart={rows[0] for rows in plan.groups}
                if options["groups"] == "several"
                else set(),
                frame=options["frame"],
                skip_invalid=options["skip_invalid"],
                mapping=mapping,
                progress=lambda n: self._bar(n, plan.rows),
            )
        except ApplicationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write("")
        self.stdout.write(
            f"Inserted {counts['inserted']}, updated {counts['updated']}, unchanged "
            f"{counts['unchanged']}, likely duplicates skipped {counts['skipped']}."
        )
        if counts["invalid_rows"]:
            self.stdout.write(f"Rows left out: {counts['invalid_rows']}")

    def _records(self, actor, kind, file, options):
        try:
            plan = records_plan(
                actor=actor,
                kind=kind,
                path=file,
                name=file.name,
                frame=options["frame"],
            )
        except ApplicationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{plan.rows} rows: {plan.new} new, {plan.changed} to change, "
            f"{plan.unchanged} unchanged, {len(plan.problems)} problems."
        )
        self._problems(plan)
        if options["report"]:
            problems_workbook(plan, options["report"])
        if options["dry_run"]:
            return
        self.stdout.write("Writing…")
        self.stdout.flush()
        total = plan.new + plan.changed
        try:
            counts = records_import(
                actor=actor,
                kind=kind,
                path=file,
                name=file.name,
                skip_invalid=options["skip_invalid"],
                frame=options["frame"],
                progress=lambda n: self._bar(n, total),
            )
        except ApplicationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write("")
        self.stdout.write(
            f"Inserted {counts['inserted']}, updated {counts['updated']}, "
            f"unchanged {counts['unchanged']}."
        )
        if counts["invalid_rows"]:
            self.stdout.write(f"Rows left out: {counts['invalid_rows']}")

    def _summary(self, plan):
        self.stdout.write(
            f"{plan.rows} rows: {len(plan.new)} new, {len(plan.updates)} to update, "
            f"{len(plan.unchanged)} unchanged, {len(plan.likely)} likely duplicates, "
            f"{len(plan.groups)} groups of rows that look like one person, "
            f"{len(plan.problems)} problems."
        )
        for field, values in plan.unknown.items():
            names = ", ".join(f"{v['value']} ({v['rows']})" for v in values[:20])
            self.stdout.write(f"  {field} not recognised: {names}")
        self._problems(plan)

    def _problems(self, plan):
        for problem in plan.problems[:50]:
            self.stdout.write(
                f"  row {problem.row}, {problem.column}: {problem.message}"
            )
        if len(plan.problems) > 50:
            self.stdout.write(f"  … and {len(plan.problems) - 50} more (see --report).")

    def _bar(self, done, total):
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stdout.flush()
