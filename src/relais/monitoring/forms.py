from django import forms
from django.utils.translation import gettext_lazy as _

from relais.training.models import Session

from .figures import UNKNOWN
from .models import AgeGroup, Area, Target

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "programme",
            "territory",
            "audience",
            "period_start",
            "period_end",
            "people",
        ]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT}

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories
        self.fields["territory"].label = _("Region (or the whole country)")


class DrillDownForm(forms.Form):
    """The slice of the cascade behind a figure of the dashboard (the programme
    and region come with the page's viewpoint)."""

    level = forms.ChoiceField(
        required=False, choices=[("", ""), *Session.Level.choices]
    )
    audience = forms.ChoiceField(
        required=False, choices=[("", ""), *Session.Audience.choices]
    )
    generation = forms.IntegerField(required=False, min_value=0, max_value=50)
    month = forms.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"])
    sex = forms.ChoiceField(
        required=False, choices=[("", ""), ("F", "F"), ("M", "M"), (UNKNOWN, UNKNOWN)]
    )
    age = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((g.value or UNKNOWN, g.label) for g in AgeGroup)],
    )
    area = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((a.value or UNKNOWN, a.label) for a in Area)],
    )
    disability = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("yes", "yes"), ("no", "no"), (UNKNOWN, UNKNOWN)],
    )


class WhatIfForm(forms.Form):
    """The projection's rates, to try other values without saving them."""

    sessions_per_trainer_per_quarter = forms.FloatField(
        label=_("Sessions per active trainer per quarter"), min_value=0, max_value=100
    )
    seats_per_session = forms.FloatField(
        label=_("Seats per session"), min_value=0, max_value=1000
    )
    completion_rate = forms.FloatField(
        label=_("Completion rate (0–1)"), min_value=0, max_value=1
    )
    certification_rate = forms.FloatField(
        label=_("Certification rate (0–1)"), min_value=0, max_value=1
    )
    activation_rate = forms.FloatField(
        label=_("Activation rate (0–1)"), min_value=0, max_value=1
    )
    attrition_per_quarter = forms.FloatField(
        label=_("Attrition per quarter (0–1)"), min_value=0, max_value=1
    )
