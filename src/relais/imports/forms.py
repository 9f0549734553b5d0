from django import forms
from django.utils.translation import gettext_lazy as _

from relais.organisations.models import Organisation
from relais.people.selectors import affiliable_organisations

from .mapping import PEOPLE_FIELDS

CHOICES = [
    ("skip", _("Skip")),
    ("merge", _("Merge")),
    ("create", _("Create")),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One person per row, with a header row. Up to 200 MB and one million rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Everyone in the file is affiliated to it."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = affiliable_organisations(actor)


class MappingForm(forms.Form):
    """One select per field of Relais, listing the file's columns."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not in the file"))] + [
            (str(index), header or _("Column %(number)s") % {"number": index + 1})
            for index, header in enumerate(headers)
        ]
        for name, (label, _spellings) in PEOPLE_FIELDS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=name in ("first_name", "last_name"),
            )

    @property
    def mapping(self) -> dict[str, int]:
        return {
            name: index
            for name in PEOPLE_FIELDS
            if (index := self.cleaned_data.get(name)) is not None
        }

    def clean(self):
        cleaned = super().clean()
        seen: dict[int, str] = {}
        for name in PEOPLE_FIELDS:
            index = cleaned.get(name)
            if index is None:
                continue
            if index in seen:
                self.add_error(
                    name,
                    _("This column already goes to “%(field)s”.")
                    % {"field": PEOPLE_FIELDS[seen[index]][0]},
                )
            else:
                seen[index] = name
        return cleaned


class CommitForm(forms.Form):
    default = forms.ChoiceField(
        label=_("Likely duplicates not listed below"),
        choices=CHOICES,
        initial="skip",
        required=False,
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip the invalid rows"),
        help_text=_("Import the valid rows and leave out the rows with a problem."),
        required=False,
    )
