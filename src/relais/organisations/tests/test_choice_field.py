"""Organisations in a select: the choice field for long lists draws what
Django's own draws, faster (relais.core.forms)."""

import re

from django import forms
from django.utils import translation

from relais.core.forms import NamedChoiceField
from relais.organisations.models import Organisation

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


class Plain(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())


class Named(forms.Form):
    organisation = NamedChoiceField(queryset=Organisation.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queryset


def options(form) -> list[tuple]:
    return OPTION.findall(str(form["organisation"]))


def test_the_options_are_django_s_in_each_language(world):
    Organisation.objects.filter(pk=world.centre_agadir.pk).update(
        name_fr="Centre <Agadir> & Inezgane", name_ar="المركز الاجتماعي أكادير"
    )
    queryset = Organisation.objects.order_by("path")
    for language in ("fr", "ar"):
        with translation.override(language):
            for initial in ({}, {"organisation": world.centre_agadir.pk}):
                plain = Plain(initial=initial)
                plain.fields["organisation"].queryset = queryset
                named = Named(initial=initial, queryset=queryset)
                assert options(named) == options(plain)
                assert len(options(named)) == queryset.count() + 1
    with translation.override("ar"):
        assert "المركز الاجتماعي أكادير" in str(
            Named(queryset=queryset)["organisation"]
        )
    assert "Centre &lt;Agadir&gt; &amp; Inezgane" in str(
        Named(queryset=queryset)["organisation"]
    )


def test_only_a_record_of_the_list_is_accepted(world):
    souss = Organisation.objects.filter(path__startswith=world.en_souss.path)
    chosen = Named({"organisation": world.centre_agadir.pk}, queryset=souss)
    assert chosen.is_valid()
    assert chosen.cleaned_data["organisation"] == world.centre_agadir
    outside = Named({"organisation": world.centre_oujda.pk}, queryset=souss)
    assert not outside.is_valid()
    assert "organisation" in outside.errors
