"""An import from the web: the uploaded file, its mapping, its dry run, its result.

The file itself is kept in the imports' storage (see files.py) with a random
name (never the uploaded one) until the import is done. Scope follows the
organisation the people go into: its paths are copied here, like a session
copies its venue's. An import
of enrolments, attendance or scores goes into no organisation (each row names its
session, checked row by row): it is seen by the person who made it.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.core.models import ScopedModel, TimeStampedModel
from relais.organisations.models import Organisation

STORED_NAME = re.compile(r"^[0-9a-f]{32}(\.report)?\.(csv|xlsx|xls|ods)$")


class ImportJob(ScopedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        PEOPLE = "people", _("People")
        ENROLMENTS = "enrolments", _("Enrolments")
        ATTENDANCE = "attendance", _("Attendance")
        SCORES = "scores", _("Test scores")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.PEOPLE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Where the people go; none for enrolments, attendance and scores.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    original_name = models.CharField(_("file"), max_length=255)
    # A random name in the imports' storage; empty once the file is removed.
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    report_name = models.CharField(max_length=64, blank=True, editable=False)
    # The language of the person who started it: messages and the report use it.
    language = models.CharField(max_length=10, default="fr")
    # Which sheet of a workbook (its number, among `sheets`), which row holds
    # the header (numbered as in the spreadsheet), and a CSV file's encoding.
    sheet = models.PositiveSmallIntegerField(_("sheet"), default=0)
    sheets = models.JSONField(default=list, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    headers = models.JSONField(default=list, blank=True)
    # The first rows of the sheet as read (titles and header included), for the
    # pages that show the file; emptied once the import is done.
    preview = models.JSONField(default=list, blank=True)
    # field -> column index (the fields of the kind: imports.mapping.FIELDS)
    mapping = models.JSONField(default=dict, blank=True)
    # row number (as text) -> "merge", "skip" or "create"
    decisions = models.JSONField(default=dict, blank=True)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    # What the dry run found: new, update, unchanged, likely, problems.
    counts = models.JSONField(default=dict, blank=True)
    # The first problems and likely duplicates, for the page (the report has all).
    findings = models.JSONField(default=dict, blank=True)
    # What the import did: inserted, updated, unchanged, skipped, invalid_rows.
    result = models.JSONField(default=dict, blank=True)
    problems_count = models.PositiveIntegerField(_("problems"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Copies of the organisation's paths: scoping needs no join.

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.original_name

    @property
    def upload(self) -> str:
        """The stored file's name, if Relais made it: nothing else is opened."""
        return self.stored_name if STORED_NAME.match(self.stored_name) else ""

    @property
    def report(self) -> str:
        """The stored report's name, if Relais made it."""
        return self.report_name if STORED_NAME.match(self.report_name) else ""

    @property
    def is_people(self) -> bool:
        return self.kind == self.Kind.PEOPLE

    @property
    def is_working(self) -> bool:
        S = self.Status
        return self.status in (S.CHECKING, S.QUEUED, S.RUNNING)

    @property
    def badge(self) -> str:
        """The Bootstrap colour of the status."""
        return {
            self.Status.CHECKED: "text-bg-warning",
            self.Status.DONE: "text-bg-success",
            self.Status.FAILED: "text-bg-danger",
        }.get(self.status, "text-bg-info" if self.is_working else "text-bg-secondary")


class ValueMapping(TimeStampedModel):
    """What an organisation's files mean by a place or a structure Relais does
    not recognise: "Dakhla centre" is Oued Ed-Dahab, "Asso Amal" is the
    association of Agadir, or the value is left blank. Said once on the places
    page of an import, remembered for the organisation's next ones."""

    class Field(models.TextChoices):
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province or prefecture")
        COMMUNE = "commune", _("Commune")
        ORGANISATION = "organisation", _("Organisation")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_mappings"
    )
    field = models.CharField(max_length=12, choices=Field.choices)
    # The value as relais.core.reconcile.reference_key folds it.
    key = models.CharField(max_length=200)
    value = models.CharField(_("value in the file"), max_length=200)
    # What the value stands for: a place, or a structure; neither: left blank.
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "field", "key"], name="one_mapping_per_value"
            )
        ]

    def __str__(self):
        return f"{self.value} → {self.territory or self.target_organisation or '—'}"

    @property
    def target_id(self) -> int | None:
        return self.territory_id or self.target_organisation_id

    def audit_paths(self) -> tuple[str, str]:
        return self.organisation.audit_paths()
