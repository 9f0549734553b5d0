from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.forms import NamedChoiceField
from relais.organisations.models import Organisation
from relais.people.models import Person

from .models import (
    CurriculumKit,
    Facilitation,
    Module,
    Programme,
    Session,
)
from .selectors import trainers_to_assign

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "code",
            "title_fr",
            "title_ar",
            "description",
            "min_attendance_percent",
            "min_post_test_percent",
            "min_fidelity_percent",
            "certification_months",
        ]


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "code",
            "title_fr",
            "title_ar",
            "domain",
            "hours",
            "learning_outcomes",
        ]


class KitForm(forms.ModelForm):
    class Meta:
        model = CurriculumKit
        fields = ["version", "released_on", "notes", "modules"]
        widgets = {"released_on": DATE, "modules": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = programme.modules.all()


class SessionForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all()
    )
    kit = forms.ModelChoiceField(
        label=_("Curriculum kit"),
        queryset=CurriculumKit.objects.select_related("programme"),
    )
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Session.Level.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Session.Audience.choices)
    phase = forms.CharField(label=_("Phase"), max_length=60, required=False)
    venue = NamedChoiceField(label=_("Venue"), queryset=Organisation.objects.none())
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)
    requires_approval = forms.BooleanField(
        label=_("Enrolment needs the coordinator's approval"), required=False
    )

    def __init__(self, *args, venues, instance: Session | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "programme": instance.programme_id,
                    "kit": instance.kit_id,
                    "venue": instance.venue_id,
                    **{
                        name: getattr(instance, name)
                        for name in (
                            "code",
                            "title",
                            "level",
                            "audience",
                            "phase",
                            "start_date",
                            "end_date",
                            "capacity",
                            "requires_approval",
                        )
                    },
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        if instance is not None:
            # A session keeps its programme and code; its kit may be updated.
            del self.fields["programme"]
            del self.fields["code"]
            self.fields["kit"].queryset = instance.programme.kits.all()


class FacilitationForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Trainer"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Facilitation.Role.choices)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = trainers_to_assign(session)


class SheetForm(forms.Form):
    sheet = forms.FileField(label=_("Filled sheet (CSV or XLSX)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
