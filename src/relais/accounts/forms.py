from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.forms import NamedChoiceField
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.territory.models import Territory


class UserForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.order_by("last_name", "first_name"),
        required=False,
        widget=forms.NumberInput,
        help_text=_("The number of the person's record, if this account is theirs."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("At least 12 characters, not only digits, not a common password."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "first_name": instance.first_name,
                    "last_name": instance.last_name,
                    "email": instance.email,
                    "person": instance.person_id,
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is None:
            self.fields["password"].required = True
            del self.fields["is_active"]
        else:
            del self.fields["username"]
            self.fields["password"].help_text = _("Leave empty to keep the password.")


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    territory = NamedChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.exclude(level=Territory.Level.COMMUNE).order_by(
            "path"
        ),
        required=False,
    )
    organisation = NamedChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("path"),
        required=False,
    )
