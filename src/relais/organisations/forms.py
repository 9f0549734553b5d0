from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.forms import NamedChoiceField
from relais.territory.models import Territory

from .models import Organisation
from .selectors import organisation_list


class OrganisationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    kind = forms.ChoiceField(label=_("Type"), choices=Organisation.Kind.choices)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=200, required=False)
    parent = NamedChoiceField(
        label=_("Parent organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    territory = NamedChoiceField(
        label=_("Province or prefecture"),
        queryset=Territory.objects.filter(level=Territory.Level.PROVINCE).order_by(
            "path"
        ),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, actor, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": instance.code,
                    "kind": instance.kind,
                    "name_fr": instance.name_fr,
                    "name_ar": instance.name_ar,
                    "parent": instance.parent_id,
                    "territory": instance.territory_id,
                    "address": instance.address,
                    "phone": instance.phone,
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        parents = organisation_list(actor=actor)
        if instance is not None:
            parents = parents.exclude(path__startswith=instance.path)
            # The code is the natural key of imports: it does not change.
            del self.fields["code"]
        self.fields["parent"].queryset = parents
