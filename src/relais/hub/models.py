"""The GISR social-hub desk: reception, listening, orientation and referral, with
consent and the protections of law 09-08."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from relais.core.bilingual import bilingual
from relais.core.models import ScopedModel, TimeStampedModel
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.territory.models import Territory

BilingualLabel = bilingual(
    "label", max_length=120, french=_("label (French)"), arabic=_("label (Arabic)")
)


class Need(BilingualLabel):
    """The shared list of needs a visitor comes with."""

    code = models.CharField(_("code"), max_length=32, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")


class Service(BilingualLabel, ScopedModel, TimeStampedModel):
    """What an organisation offers, where, for whom and how much each week."""

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic (Darija)")
        AMAZIGH = "zgh", _("Amazigh")
        HASSANIYA = "mey", _("Hassaniya")
        FRENCH = "fr", _("French")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    description = models.TextField(_("description"), blank=True)
    needs = models.ManyToManyField(Need, verbose_name=_("needs served"))
    audience = models.CharField(_("for whom"), max_length=200, blank=True)
    capacity_per_week = models.PositiveIntegerField(_("capacity per week"), default=0)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    online = models.BooleanField(
        _("digital procedure the agent can help with"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["provider__path", "label_fr"]
        verbose_name = _("service")
        verbose_name_plural = _("services")


class DataCategory(BilingualLabel):
    """A category of personal data: why it is kept, on what basis, for how long."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent of the person")
        PUBLIC_MISSION = "public_mission", _("Public-interest mission")
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
        VITAL_INTEREST = "vital_interest", _("Vital interest of the person")

    code = models.CharField(_("code"), max_length=32, unique=True)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=Basis.choices
    )
    retention_days = models.PositiveIntegerField(_("kept for (days)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("category of personal data")
        verbose_name_plural = _("categories of personal data")


class Visit(ScopedModel, TimeStampedModel):
    """A reception at a centre: light, and anonymous unless follow-up needs a file."""

    class Channel(models.TextChoices):
        WALK_IN = "walk_in", _("Walk-in")
        PHONE = "phone", _("Phone")
        OUTREACH = "outreach", _("Outreach")

    class AgeGroup(models.TextChoices):
        CHILD = "0-17", _("Under 18")
        YOUNG = "18-29", _("18 to 29")
        ADULT = "30-44", _("30 to 44")
        MIDDLE = "45-59", _("45 to 59")
        SENIOR = "60+", _("60 and over")

    centre = models.ForeignKey(
        Organisation,
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    needs = models.ManyToManyField(Need, verbose_name=_("needs"))
    minutes = models.PositiveSmallIntegerField(_("time spent (minutes)"), default=10)
    digital_assisted = models.BooleanField(
        _("helped with a digital procedure"), default=False
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # What an anonymous visit keeps; purged when its retention period ends.
    sex = models.CharField(
        _("sex"), max_length=1, choices=Person.Sex.choices, blank=True
    )
    age_group = models.CharField(
        _("age group"), max_length=5, choices=AgeGroup.choices, blank=True
    )
    commune = models.ForeignKey(
        Territory,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        # The desk's list, newest first: read backwards, it stops at one page.
        indexes = [
            models.Index(fields=["organisation_path", "created_at"]),
            models.Index(fields=["created_at", "id"]),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} — {self.created_at:%Y-%m-%d %H:%M}"


class SupervisorDesignation(models.Model):
    """The centre's designated supervisors: they read and co-sign listening notes."""

    centre = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="supervisors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "user"], name="one_designation_per_centre"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.centre}"


class ListeningNote(TimeStampedModel):
    """What was heard. Only its author and the centre's supervisors read the text,
    which is stored encrypted."""

    class Status(models.TextChoices):
        FINAL = "final", _("Final")
        AWAITING_COSIGNATURE = "awaiting", _("Awaiting co-signature")

    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="listening_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The text, sealed with the field key (relais.core.protected): searchable
    # by nobody, opened only by hub.services.note_read for the note's audience.
    # Empty once retention has purged it.
    text_encrypted = models.TextField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Whether the author worked under supervision (no valid certification).
    supervised = models.BooleanField(default=False)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listening note")
        verbose_name_plural = _("listening notes")

    def __str__(self):
        # Never the text: this string reaches lists, logs and the audit trail.
        return f"{_('listening note')} #{self.pk}"

    def audit_paths(self) -> tuple[str, str]:
        return self.visit.audit_paths()


class Consent(TimeStampedModel):
    """Agreement to share: for what, with whom, when, recorded by whom."""

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("for what"), max_length=255)
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("to whom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.purpose} → {self.recipient}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def audit_paths(self) -> tuple[str, str]:
        return self.visit.audit_paths() if self.visit_id else ("MA/", "")


class Referral(ScopedModel, TimeStampedModel):
    """An orientation to a service, followed until someone closes it."""

    # A context of their own: "Completed" or "Sent" mean other things elsewhere.
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("referral", "Draft")
        SENT = "sent", pgettext_lazy("referral", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
        DECLINED = "declined", pgettext_lazy("referral", "Declined")
        IN_PROGRESS = "in_progress", pgettext_lazy("referral", "In progress")
        COMPLETED = "completed", pgettext_lazy("referral", "Completed")
        CLOSED = "closed", pgettext_lazy("referral", "Closed")

    class ClosureReason(models.TextChoices):
        REFUSED = "refused", _("Refused by the person")
        NO_CAPACITY = "no_capacity", _("No capacity")
        PERSON_UNREACHABLE = "person_unreachable", _("Person unreachable")
        SERVICE_UNREACHABLE = "service_unreachable", _("Service unreachable")
        NO_LONGER_NEEDED = "no_longer_needed", _("No longer needed")
        OTHER = "other", _("Other")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    need = models.ForeignKey(
        Need, verbose_name=_("need"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("why this service"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.CharField(
        _("reason for sending without consent"), max_length=255, blank=True
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=255, blank=True
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.CharField(_("closure note"), max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accept_by = models.DateTimeField(_("answer due by"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    complete_by = models.DateTimeField(_("completion due by"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Sender's and receiver's places, for scope on both sides of the loop.
    to_territory_path = models.CharField(max_length=255, db_index=True, editable=False)
    to_organisation_path = models.CharField(
        max_length=255, db_index=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["status", "accept_by"]),
            models.Index(fields=["created_at", "id"]),  # the list, newest first
        ]

    def __str__(self):
        return f"{_('referral')} #{self.pk} → {self.service}"


class FollowUp(models.Model):
    """A dated note on a referral, written by either side."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date} #{self.referral_id}"


class Reminder(models.Model):
    """A reminder sent once per referral and deadline, shown to the receiving side."""

    class Kind(models.TextChoices):
        ANSWER_DUE = "answer_due", _("An answer is due soon")
        COMPLETION_DUE = "completion_due", _("Completion is due soon")

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "kind", "due_at"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.referral_id}"


class HubSettings(models.Model):
    """Programme-wide switches of the hub desk, set by the programme unit."""

    supervised_mode = models.BooleanField(
        _("agents without a valid certification work under supervision"),
        default=True,
    )
    accept_within_hours = models.PositiveIntegerField(
        _("answer a referral within (hours)"), default=72
    )
    complete_within_days = models.PositiveIntegerField(
        _("complete a referral within (days)"), default=30
    )
    remind_hours_before = models.PositiveIntegerField(
        _("remind this many hours before a deadline"), default=24
    )

    class Meta:
        verbose_name = _("hub settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "HubSettings":
        settings_, _created = cls.objects.get_or_create(pk=1)
        return settings_


class DataRequest(TimeStampedModel):
    """A person's request under law 09-08, tracked until it is answered."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access")
        RECTIFICATION = "rectification", _("Rectification")
        OPPOSITION = "opposition", _("Opposition")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("request"), max_length=16, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    # Who recorded it does not export its file (separation of duties); empty for
    # requests recorded before Relais kept it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["status", "due_on"]
        verbose_name = _("data-protection request")
        verbose_name_plural = _("data-protection requests")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person}"

    def audit_paths(self) -> tuple[str, str]:
        return self.territory_path, ""
