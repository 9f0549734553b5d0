"""One record per human: cadre, association member or beneficiary."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.core import protected
from relais.core.models import TimeStampedModel
from relais.core.scoping import NATIONAL_PATH
from relais.core.validators import display_phone
from relais.organisations.models import Organisation


class Person(TimeStampedModel):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Disability(models.TextChoices):
        YES = "yes", _("With a disability")
        NO = "no", _("Without a disability")

    first_name = models.CharField(_("first name (Latin script)"), max_length=100)
    last_name = models.CharField(_("last name (Latin script)"), max_length=100)
    first_name_ar = models.CharField(
        _("first name (Arabic script)"), max_length=100, blank=True
    )
    last_name_ar = models.CharField(
        _("last name (Arabic script)"), max_length=100, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Known alone when only the year is known; copied from birth_date otherwise.
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True
    )
    # Asked only with the person's agreement; empty means not known.
    disability = models.CharField(
        _("disability"), max_length=3, choices=Disability.choices, blank=True
    )
    # The CIN is never stored in clear: see relais.core.protected.
    cin_encrypted = models.TextField(blank=True, editable=False)
    # Unique by a constraint in Meta, not unique=True: on PostgreSQL that would
    # add a second index for LIKE, which no digest look-up uses and every
    # insert of a person pays for.
    cin_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    cin_masked = models.CharField(_("CIN"), max_length=12, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Where the person lives (a province, or a commune when known): for the
    # territorial breakdowns of the dashboards, urban and rural included.
    residence = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Folded names and their consonant skeletons, both scripts (relais.core.names).
    search_key = models.TextField(blank=True, editable=False)

    # What people type about a person, on the person form and in imports.
    DETAILS = (
        "first_name",
        "last_name",
        "first_name_ar",
        "last_name_ar",
        "sex",
        "birth_date",
        "birth_year",
        "disability",
        "phone",
        "email",
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cin_digest"], name="person_cin_digest_unique"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        if get_language() == "ar" and (self.first_name_ar or self.last_name_ar):
            return f"{self.first_name_ar} {self.last_name_ar}".strip()
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    @property
    def full_name_latin(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    def cin_clear(self) -> str:
        """The CIN in full: call only after checking PERSON_VIEW_IDENTIFIERS."""
        return protected.decrypt(self.cin_encrypted) if self.cin_encrypted else ""

    def home_paths(self) -> tuple[str, str]:
        """Where the person belongs: the territory and organisation paths of
        their first affiliation (the country if they have none)."""
        first = self.affiliations.select_related("organisation").first()
        if first is None:
            return NATIONAL_PATH, ""
        return first.organisation.territory_path, first.organisation.path

    def audit_paths(self) -> tuple[str, str]:
        # The audit log of a region shows changes to the people who belong there.
        return self.home_paths()


class Affiliation(TimeStampedModel):
    # No index of its own: the unique (person, organisation) index serves
    # look-ups by person, and an import of 500,000 people writes one index less.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    function = models.CharField(_("function"), max_length=120, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__path"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                name="one_affiliation_per_organisation",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.organisation}"

    def audit_paths(self) -> tuple[str, str]:
        return self.organisation.audit_paths()
