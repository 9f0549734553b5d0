from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.forms import NamedChoiceField
from relais.organisations.models import Organisation

from .models import Person
from .selectors import affiliable_organisations


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name (Latin script)"), max_length=100)
    last_name = forms.CharField(label=_("Last name (Latin script)"), max_length=100)
    first_name_ar = forms.CharField(
        label=_("First name (Arabic script)"), max_length=100, required=False
    )
    last_name_ar = forms.CharField(
        label=_("Last name (Arabic script)"), max_length=100, required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("Unknown")), *Person.Sex.choices],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year (when the date is unknown)"), required=False
    )
    disability = forms.ChoiceField(
        label=_("Disability"),
        choices=[("", _("Unknown")), *Person.Disability.choices],
        required=False,
        help_text=_("Ask only with the person's agreement."),
    )
    cin = forms.CharField(label=_("CIN"), max_length=20, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = NamedChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    function = forms.CharField(label=_("Function"), max_length=120, required=False)

    def __init__(self, *args, actor, instance: Person | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(instance, name) for name in Person.DETAILS},
            )
        super().__init__(*args, **kwargs)
        if instance is None:
            self.fields["organisation"].queryset = affiliable_organisations(actor)
        else:
            # Affiliations are edited on their own; the CIN is typed again to change.
            del self.fields["organisation"]
            del self.fields["function"]
            self.fields["cin"].help_text = _("Leave empty to keep the stored CIN.")


class AffiliationForm(forms.Form):
    organisation = NamedChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    function = forms.CharField(label=_("Function"), max_length=120, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = affiliable_organisations(actor)
