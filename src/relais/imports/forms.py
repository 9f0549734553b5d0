from django import forms
from django.utils.translation import gettext_lazy as _

from relais.organisations.models import Organisation
from relais.people.selectors import affiliable_organisations

from .jobs import may_import_records
from .mapping import FIELDS, REQUIRED
from .models import ImportJob

CHOICES = [
    ("skip", _("Skip")),
    ("merge", _("Merge")),
    ("create", _("Create")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[])
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "A header row, then one person or one record per row. Up to 200 MB "
            "and one million rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "For people: everyone in the file is affiliated to it. Enrolments, "
            "attendance and scores name their session on each row."
        ),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        Kind = ImportJob.Kind
        kinds = [Kind.PEOPLE]
        if may_import_records(actor):
            kinds += [Kind.ENROLMENTS, Kind.ATTENDANCE, Kind.SCORES]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["organisation"].queryset = affiliable_organisations(actor)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ImportJob.Kind.PEOPLE and not cleaned.get(
            "organisation"
        ):
            self.add_error(
                "organisation", _("Choose the organisation the people go into.")
            )
        return cleaned


class MappingForm(forms.Form):
    """One select per field of the import's kind, listing the file's columns."""

    def __init__(self, *args, headers: list[str], kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_fields = FIELDS[kind]
        choices = [("", _("Not in the file"))] + [
            (str(index), header or _("Column %(number)s") % {"number": index + 1})
            for index, header in enumerate(headers)
        ]
        for name, (label, _spellings) in self.kind_fields.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=name in REQUIRED[kind],
            )

    @property
    def mapping(self) -> dict[str, int]:
        return {
            name: index
            for name in self.kind_fields
            if (index := self.cleaned_data.get(name)) is not None
        }

    def clean(self):
        cleaned = super().clean()
        seen: dict[int, str] = {}
        for name in self.kind_fields:
            index = cleaned.get(name)
            if index is None:
                continue
            if index in seen:
                self.add_error(
                    name,
                    _("This column already goes to “%(field)s”.")
                    % {"field": self.kind_fields[seen[index]][0]},
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
