from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.forms import NamedChoiceField
from relais.organisations.models import Organisation
from relais.people.selectors import affiliable_organisations

from .mapping import FIELDS, REQUIRED
from .models import ImportJob
from .policies import ImportPolicy

CHOICES = [
    ("skip", _("Skip")),
    ("merge", _("Merge")),
    ("create", _("Create")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[])
    file = forms.FileField(
        label=_("File (CSV, XLSX, XLS or ODS)"),
        help_text=_(
            "A header row, then one person or one record per row; titles above "
            "the header are fine. Up to 200 MB and one million rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls,.ods"}),
    )
    organisation = NamedChoiceField(
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
        if ImportPolicy.can(actor, "import_records"):
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


ENCODING_LABELS = {
    "utf-8": _("UTF-8"),
    "cp1256": _("Windows-1256 (Arabic)"),
    "cp1252": _("Windows-1252 (French)"),
    "latin-1": _("ISO-8859-1 (Latin-1)"),
}


class LayoutForm(forms.Form):
    """Where the data lies: which sheet, which encoding, which row is the header."""

    sheet = forms.TypedChoiceField(label=_("Sheet"), coerce=int, choices=[])
    encoding = forms.ChoiceField(
        label=_("Encoding of the file"),
        choices=list(ENCODING_LABELS.items()),
        required=False,
    )
    header_row = forms.TypedChoiceField(label=_("Header row"), coerce=int, choices=[])

    def __init__(self, *args, job, **kwargs):
        initial = {
            "sheet": job.sheet,
            "encoding": job.encoding,
            "header_row": job.header_row,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["sheet"].choices = [
            (index, name or _("Sheet %(number)s") % {"number": index + 1})
            for index, name in enumerate(job.sheets or [""])
        ]
        self.fields["header_row"].choices = [
            (
                number,
                _("Row %(number)s: %(cells)s")
                % {"number": number, "cells": _cells(row)},
            )
            for number, row in enumerate(job.preview, start=1)
            if any(cell.strip() for cell in row)
        ]
        if len(job.sheets) < 2:
            self.fields["sheet"].widget = forms.HiddenInput()
        if not job.encoding:
            self.fields["encoding"].widget = forms.HiddenInput()


def _cells(row: list[str]) -> str:
    text = " · ".join(cell.strip() for cell in row if cell.strip())
    return text if len(text) <= 80 else text[:79] + "…"


class PlacesForm(forms.Form):
    """One field per place or structure Relais did not recognise: which one it
    is, typed or picked from the list (the places of its level, or the
    organisations the user may affiliate to), or left blank."""

    def __init__(self, *args, unknown: dict[str, list[dict]], choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = []
        for field, values in unknown.items():
            for index, entry in enumerate(values):
                name = f"{field}-{index}"
                suggestion = choices[field].labels.get(entry.get("suggestion"))
                self.fields[name] = forms.CharField(
                    label=entry["value"],
                    required=False,
                    initial=suggestion or "",
                    widget=forms.TextInput(
                        attrs={
                            "list": f"places-{field}",
                            "class": "form-control",
                            "autocomplete": "off",
                        }
                    ),
                )
                self.places.append((field, entry, name))
        self.choices = choices

    def clean(self):
        cleaned = super().clean()
        chosen = {}
        for field, entry, name in self.places:
            text = (cleaned.get(name) or "").strip()
            if not text:
                continue  # not decided yet: the row stays a problem
            if text == str(BLANK):
                chosen[(field, entry["value"])] = None
                continue
            target = self.choices[field].pick(text)
            if target is None:
                self.add_error(name, _("Choose a place from the list."))
            else:
                chosen[(field, entry["value"])] = target
        self.chosen = chosen
        return cleaned


# What a user types (or picks) to leave a value blank.
BLANK = _("(leave blank)")
