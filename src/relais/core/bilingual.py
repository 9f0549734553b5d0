"""Texts kept in French and in Arabic, shown in the reader's language.

French is the working language every record has; Arabic is shown to readers of
Arabic wherever it was given.
"""

from django.db import models
from django.utils.translation import get_language


def in_reader_language(french: str, arabic: str) -> str:
    return arabic if arabic and get_language() == "ar" else french


def bilingual(name: str, *, max_length: int, french, arabic) -> type[models.Model]:
    """An abstract base with `<name>_fr`, an optional `<name>_ar`, and `<name>`:
    the one the reader's language shows, also the record's text.

    `french` and `arabic` are the two fields' verbose names.
    """

    def shown(self) -> str:
        return in_reader_language(
            getattr(self, f"{name}_fr"), getattr(self, f"{name}_ar")
        )

    return type(
        f"Bilingual{name.capitalize()}",
        (models.Model,),
        {
            "__module__": __name__,
            f"{name}_fr": models.CharField(french, max_length=max_length),
            f"{name}_ar": models.CharField(arabic, max_length=max_length, blank=True),
            name: property(shown),
            "__str__": shown,
            "Meta": type("Meta", (), {"abstract": True}),
        },
    )
