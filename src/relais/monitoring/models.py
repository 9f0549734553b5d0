"""Targets, and the summary tables the cascade dashboards read.

The dashboards never aggregate attendance or enrolments directly: at national
scale that takes seconds. `TrainedPerson` holds one row per person and programme
(their first completion) with what the session tells about it. `TrainingSummary`
adds those rows up by province, level, audience, generation and month, with one
count column per disaggregation (sex, age group, urban/rural, disability, read
from the person and their lineage when the summary is made), so that a national
figure sums a few thousand rows. Both are derived from the facts by
`summaries.py`, kept current as sessions close; `relais monitoring refresh`
rebuilds them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from relais.core.models import TimeStampedModel
from relais.people.models import Person
from relais.territory.models import Territory
from relais.training.models import Programme, Session


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18_TO_24 = "18_24", _("18–24")
    FROM_25_TO_34 = "25_34", _("25–34")
    FROM_35_TO_44 = "35_44", _("35–44")
    FROM_45_TO_59 = "45_59", _("45–59")
    FROM_60 = "60_plus", _("60 and over")
    UNKNOWN = "", _("Unknown")


class Area(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
    UNKNOWN = "", _("Unknown")


# What a list behind a dashboard's figure may be narrowed to, besides the region.
DRILL_DOWN_COLUMNS = (
    "level",
    "audience",
    "month",
    "generation",
    "sex",
    "age_group",
    "area",
    "disability",
)


class TrainedPerson(models.Model):
    """A person trained by a programme: their first completed session, flattened."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    # Where the session was held: the venue's paths, and its province for the summary.
    territory_path = models.CharField(max_length=255)
    organisation_path = models.CharField(max_length=255)
    province_path = models.CharField(max_length=255)
    level = models.CharField(max_length=10)
    audience = models.CharField(max_length=20)
    month = models.DateField()  # first day of the month the session ended
    # The person's age group is counted from this year and their birth year.
    year = models.PositiveSmallIntegerField()
    # Normalised learning gain of that session, when both tests were taken.
    gain = models.FloatField(null=True)
    # Who the person is, as the dashboards count them: copied from the person,
    # their residence and their lineage when the row is written and again each
    # time the summaries are made (summaries.py). A figure and the list behind
    # it then agree, and a list filters and sorts on this table alone, with an
    # index: sorting by a name of the people table walked it all for a rare value.
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    sex = models.CharField(max_length=1, blank=True, choices=Person.Sex.choices)
    age_group = models.CharField(max_length=10, blank=True, choices=AgeGroup.choices)
    area = models.CharField(max_length=5, blank=True, choices=Area.choices)
    disability = models.CharField(
        max_length=3, blank=True, choices=Person.Disability.choices
    )
    generation = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"], name="one_trained_row_per_programme"
            )
        ]
        indexes = [
            models.Index(fields=["programme", "province_path"]),
            models.Index(fields=["session"]),
            models.Index(fields=["territory_path"]),
            models.Index(fields=["organisation_path"]),
            models.Index(
                fields=["programme", "last_name", "first_name", "person"],
                name="trained_by_name",
            ),
            # A figure's list may ask for a value few people have (the pilot
            # generation, people under 18): found at once, not by a walk of all.
            *(
                models.Index(fields=["programme", name], name=f"trained_by_{name}")
                for name in DRILL_DOWN_COLUMNS
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.programme_id} {self.month:%Y-%m}"


# Age groups as [from, to) ages in years; None leaves a side open.
AGE_BOUNDS = {
    AgeGroup.UNDER_18: (None, 18),
    AgeGroup.FROM_18_TO_24: (18, 25),
    AgeGroup.FROM_25_TO_34: (25, 35),
    AgeGroup.FROM_35_TO_44: (35, 45),
    AgeGroup.FROM_45_TO_59: (45, 60),
    AgeGroup.FROM_60: (60, None),
}


def age_group_of(year: int, birth_year: int | None) -> str:
    """The age group of someone born in `birth_year`, in `year`."""
    if birth_year is None:
        return AgeGroup.UNKNOWN
    age = year - birth_year
    for group, (low, high) in AGE_BOUNDS.items():
        if (low is None or age >= low) and (high is None or age < high):
            return group
    return AgeGroup.UNKNOWN


def area_of(kind: str | None) -> str:
    """Urban or rural, from the kind of the territory someone lives in."""
    return kind if kind in Area.values else Area.UNKNOWN


class TrainingSummary(models.Model):
    """People trained, added up by programme, province, level, audience,
    generation and month (see SUMMARY_COUNTS for the columns)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    province_path = models.CharField(max_length=255)
    level = models.CharField(max_length=10)
    audience = models.CharField(max_length=20)
    generation = models.PositiveSmallIntegerField(null=True)
    month = models.DateField()
    refreshed_at = models.DateTimeField()
    people = models.PositiveIntegerField(default=0)
    female = models.PositiveIntegerField(default=0)
    male = models.PositiveIntegerField(default=0)
    sex_unknown = models.PositiveIntegerField(default=0)
    age_under_18 = models.PositiveIntegerField(default=0)
    age_18_24 = models.PositiveIntegerField(default=0)
    age_25_34 = models.PositiveIntegerField(default=0)
    age_35_44 = models.PositiveIntegerField(default=0)
    age_45_59 = models.PositiveIntegerField(default=0)
    age_60_plus = models.PositiveIntegerField(default=0)
    age_unknown = models.PositiveIntegerField(default=0)
    urban = models.PositiveIntegerField(default=0)
    rural = models.PositiveIntegerField(default=0)
    area_unknown = models.PositiveIntegerField(default=0)
    disability_yes = models.PositiveIntegerField(default=0)
    disability_no = models.PositiveIntegerField(default=0)
    disability_unknown = models.PositiveIntegerField(default=0)
    gain_n = models.PositiveIntegerField(default=0)
    gain_sum = models.FloatField(default=0)
    gain_squares = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["programme", "province_path"])]

    def __str__(self):
        return f"{self.province_path} {self.level} {self.month:%Y-%m}: {self.people}"


class SessionSummary(models.Model):
    """Closed sessions, their enrolled and their completers, by province and month."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    province_path = models.CharField(max_length=255)
    level = models.CharField(max_length=10)
    month = models.DateField()
    sessions = models.PositiveIntegerField()
    enrolled = models.PositiveIntegerField()
    completed = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["programme", "province_path"])]

    def __str__(self):
        return f"{self.province_path} {self.month:%Y-%m}: {self.sessions}"


class TrainerSummary(models.Model):
    """For each trainer and the province they trained in: their trainees' gains."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    trainer = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+"
    )
    province_path = models.CharField(max_length=255)
    trainees = models.PositiveIntegerField()
    gain_n = models.PositiveIntegerField()
    gain_sum = models.FloatField()
    gain_squares = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["programme", "province_path"])]

    def __str__(self):
        return f"{self.trainer_id} {self.province_path}: {self.trainees}"


class TrainerActivity(models.Model):
    """For each trainer who leads or co-facilitates sessions of a programme (not
    cancelled): the start of the last one that began by the day the row was
    made, and of the next one after it.

    Kept by summaries.py as trainers are assigned and removed and sessions move
    or are cancelled, and made again with the summaries. The activation lists
    sort the country's trainers on it; the next start says when a session began
    since, so that a trainer counts as active from their session's first day.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    trainer = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="trainer_activity"
    )
    last_delivery = models.DateField(null=True)
    next_delivery = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "programme"], name="one_activity_per_trainer"
            )
        ]

    def __str__(self):
        return f"{self.trainer_id} {self.programme_id}: {self.last_delivery}"


class ItemSummary(models.Model):
    """Post-test item scores added up by item, generation and province."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    province_path = models.CharField(max_length=255)
    item = models.CharField(max_length=40)
    generation = models.PositiveSmallIntegerField()
    answers = models.PositiveIntegerField()
    score_sum = models.FloatField()
    max_sum = models.FloatField()

    def __str__(self):
        return f"{self.item} {self.generation}: {self.answers}"


class Target(TimeStampedModel):
    """People to train, set by the programme unit for a programme, a region (or
    the whole country), an audience (or all) and a period."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["country", "region"]},
    )
    audience = models.CharField(
        _("audience"),
        max_length=20,
        blank=True,
        choices=Session.Audience.choices,
        help_text=_("Leave empty for every audience."),
    )
    period_start = models.DateField(pgettext_lazy("period", "from"))
    period_end = models.DateField(pgettext_lazy("period", "to"))
    people = models.PositiveIntegerField(
        _("people to train"), validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme", "territory__path", "audience", "period_start"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "territory", "audience", "period_start"],
                name="one_target_per_programme_region_audience_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="target_ends_after_it_starts",
            ),
        ]

    def clean(self):
        start, end = self.period_start, self.period_end
        if start and end and end < start:
            raise ValidationError(
                {"period_end": _("The period ends before it starts.")}
            )

    def __str__(self):
        return f"{self.programme.code} {self.territory} {self.people}"

    def audit_paths(self) -> tuple[str, str]:
        return self.territory.path, ""
