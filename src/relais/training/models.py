"""The training cascade: programmes, sessions, enrolment, attendance, results,
trainer certification, certificates and the lineage derived from them."""

import datetime
import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.core.bilingual import bilingual
from relais.core.models import ScopedModel, TimeStampedModel
from relais.core.validators import validate_code
from relais.organisations.models import Organisation
from relais.people.models import Person

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def new_token() -> str:
    """256 random bits, URL-safe: a certificate's public verification key."""
    return secrets.token_urlsafe(32)


BilingualTitle = bilingual(
    "title", max_length=200, french=_("title (French)"), arabic=_("title (Arabic)")
)


class Programme(BilingualTitle, TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    description = models.TextField(_("description"), blank=True)
    # Completion rules.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=PERCENT
    )
    min_post_test_percent = models.PositiveSmallIntegerField(
        _("minimum post-test score (%)"), default=60, validators=PERCENT
    )
    # Trainer certification criteria: a completed training of trainers, then an
    # observed co-facilitation with at least this fidelity score.
    min_fidelity_percent = models.PositiveSmallIntegerField(
        _("minimum fidelity score (%)"), default=75, validators=PERCENT
    )
    certification_months = models.PositiveSmallIntegerField(
        _("certification valid for (months)"), default=24
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def ordered_instruments(self) -> list["Instrument"]:
        """Pre-test, post-test, practical, satisfaction: the order of a session."""
        order = Instrument.Kind.values
        return sorted(self.instruments.all(), key=lambda i: order.index(i.kind))


class Module(BilingualTitle, TimeStampedModel):
    class Domain(models.TextChoices):
        DIGITAL = "digital", _("Digital skills")
        MANAGEMENT = "management", _("Management")
        PROJECT_MONITORING = "project_monitoring", _("Project monitoring")
        GISR = "gisr", _("GISR social hubs")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="modules"
    )
    code = models.CharField(_("code"), max_length=32)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "position", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="module_code_per_programme"
            )
        ]


class CurriculumKit(TimeStampedModel):
    """A released version of the programme's material; sessions record theirs."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="kits"
    )
    version = models.CharField(_("version"), max_length=20)
    released_on = models.DateField(_("released on"))
    notes = models.TextField(_("what changed"), blank=True)
    modules = models.ManyToManyField(Module, verbose_name=_("modules"), blank=True)

    class Meta:
        ordering = ["programme", "-released_on", "-id"]
        verbose_name = _("curriculum kit")
        verbose_name_plural = _("curriculum kits")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="kit_version_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.programme.code} v{self.version}"


class Instrument(models.Model):
    """How a programme assesses: each kind of test with its maximum score."""

    # Declared in the order a session runs them.
    class Kind(models.TextChoices):
        PRE_TEST = "pre_test", _("Pre-test")
        POST_TEST = "post_test", _("Post-test")
        PRACTICAL = "practical", _("Practical")
        SATISFACTION = "satisfaction", _("Satisfaction")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="instruments"
    )
    kind = models.CharField(_("instrument"), max_length=20, choices=Kind.choices)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind"], name="one_instrument_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} /{self.max_score}"


class Session(ScopedModel, TimeStampedModel):
    class Level(models.TextChoices):
        TRAINING_OF_TRAINERS = "tot", _("Training of trainers")
        RELAY = "relay", _("Relay")
        END_USER = "end_user", _("End users")

    class Audience(models.TextChoices):
        CADRES = "cadres", _("Cadres")
        ASSOCIATION_STAFF = "association_staff", _("Association staff")
        BENEFICIARIES = "beneficiaries", _("Beneficiaries")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    kit = models.ForeignKey(
        CurriculumKit,
        verbose_name=_("curriculum kit"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[validate_code]
    )
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.CADRES
    )
    phase = models.CharField(_("phase"), max_length=60, blank=True)
    venue = models.ForeignKey(
        Organisation,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1)]
    )
    requires_approval = models.BooleanField(
        _("enrolment needs the coordinator's approval"), default=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Copies of the venue's paths, kept by the services: scoping needs no join.

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        # The lists, newest first, read a page of this index and stop.
        indexes = [
            models.Index(fields=["-start_date", "code"], name="session_newest_first"),
            # What a trainer's deliveries read of each session, without its row
            # (PostgreSQL; SQLite, without INCLUDE, makes a plain copy of the key).
            models.Index(
                fields=["id"],
                include=["start_date", "status", "programme"],
                name="session_delivery_facts",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="session_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def days(self) -> list[datetime.date]:
        span = (self.end_date - self.start_date).days
        return [self.start_date + datetime.timedelta(days=n) for n in range(span + 1)]


class Facilitation(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO_FACILITATOR = "co_facilitator", _("Co-facilitator")
        OBSERVER = "observer", _("Observer")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="facilitations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="facilitations",
        db_index=False,  # facilitation_by_person below serves look-ups by person
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The observer's fidelity checklist score for this facilitator, in percent.
    fidelity_percent = models.DecimalField(
        _("fidelity checklist (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )

    class Meta:
        ordering = ["session", "role", "id"]
        verbose_name = _("facilitation")
        verbose_name_plural = _("facilitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_role_per_person_and_session"
            )
        ]
        # A trainer's deliveries (last one, how many, since when) are read for
        # every certified trainer of a list: from the index alone on PostgreSQL.
        indexes = [
            models.Index(
                fields=["person"],
                include=["role", "session"],
                name="facilitation_by_person",
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def audit_paths(self) -> tuple[str, str]:
        return self.session.audit_paths()


class Enrolment(TimeStampedModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REGISTERED = "registered", _("Awaiting approval")
        WAITLISTED = "waitlisted", _("Waiting list")
        CONFIRMED = "confirmed", _("Confirmed")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Not completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Statuses that hold the person's time (for the overlap rule).
    ACTIVE = (Status.REGISTERED, Status.WAITLISTED, Status.CONFIRMED)

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # Order of the waiting list: first come, first promoted.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    # Why the person completed or not, as a code and figures (see completion.py).
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        ordering = ["session", "person__last_name", "person__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_enrolment_per_person"
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.person} — {self.session.code}"

    def audit_paths(self) -> tuple[str, str]:
        return self.session.audit_paths()


class Attendance(models.Model):
    """One row per enrolment and session day, whoever saves it and how often."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance"
    )
    date = models.DateField(_("day"))
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "date"], name="one_attendance_per_day"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.date} {'P' if self.present else 'A'}"


class Result(models.Model):
    """A participant's score on one of the programme's instruments."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="results"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "instrument"], name="one_result_per_instrument"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.instrument_id} {self.score}"

    @property
    def percent(self) -> Decimal:
        return self.score * 100 / self.instrument.max_score


class ItemScore(models.Model):
    """One question of a test, where the test was scored question by question:
    it shows which parts of the curriculum lose most from one generation to the
    next."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("question"), max_length=40)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["result", "item"], name="one_score_per_question"
            )
        ]

    def __str__(self):
        return f"{self.result_id} {self.item} {self.score}/{self.max_score}"


class CertificationQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Certified, and not expired on `day` (Certification.is_valid_on)."""
        return self.filter(status=Certification.Status.CERTIFIED).exclude(
            expires_on__lt=day
        )


class Certification(TimeStampedModel):
    """A person's standing as a trainer, from candidate to certified and beyond."""

    class Level(models.TextChoices):
        RELAY_TRAINER = "relay_trainer", _("Relay trainer")
        MASTER_TRAINER = "master_trainer", _("Master trainer")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        CERTIFIED = "certified", _("Certified")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # The training of trainers that made the person a candidate.
    source_enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    expires_on = models.DateField(_("renewal due"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # Copied from the source session's venue or the person's affiliation, for scope.
    territory_path = models.CharField(max_length=255, db_index=True, editable=False)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("trainer certification")
        verbose_name_plural = _("trainer certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "level"],
                name="one_certification_per_level",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.get_level_display()}"

    def is_valid_on(self, day: datetime.date) -> bool:
        """The rule of CertificationQuerySet.valid_on, for one certification."""
        return self.status == self.Status.CERTIFIED and (
            self.expires_on is None or self.expires_on >= day
        )

    def audit_paths(self) -> tuple[str, str]:
        return self.territory_path, ""


class Certificate(models.Model):
    """A document with a public verification page keyed by an unguessable token."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Certificate of completion")
        TRAINER = "trainer", _("Trainer certificate")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="certificates"
    )
    enrolment = models.OneToOneField(
        Enrolment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    certification = models.ForeignKey(
        Certification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issued_on = models.DateField(_("issued on"))

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="completion", enrolment__isnull=False)
                    | Q(kind="trainer", certification__isnull=False)
                ),
                name="certificate_has_its_source",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person}"


class Lineage(models.Model):
    """Who trained whom, derived from completions; rebuilt by `relais lineage rebuild`.

    One row per trainee: their generation (master trainers 0, the pilot group 1)
    and the trainers of their first generation-setting session.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="lineage"
    )
    generation = models.PositiveSmallIntegerField(_("generation"), db_index=True)

    class Meta:
        verbose_name = _("lineage")

    def __str__(self):
        return f"{self.person_id}: {self.generation}"


class TrainingLink(models.Model):
    """An edge of the cascade: `trainer` trained `trainee` in `session`."""

    trainer = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="trainee_links"
    )
    trainee = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="trainer_links"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "trainee", "session"], name="one_link_per_session"
            )
        ]
        indexes = [models.Index(fields=["trainee", "trainer"])]

    def __str__(self):
        return f"{self.trainer_id} → {self.trainee_id} ({self.session_id})"
