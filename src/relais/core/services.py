"""What every app's services share when they write."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.db import models


def model_update(
    instance: models.Model, fields: Iterable[str], data: Mapping
) -> list[str]:
    """Set on `instance` each of `fields` that `data` gives a new value.

    Fields `data` leaves out keep their value, so a form may send only what it
    shows. Returns the names that changed, for the audit log and for
    `save(update_fields=...)`; the caller saves.
    """
    changed = []
    for name in fields:
        if name not in data:
            continue
        try:
            unchanged = getattr(instance, name) == data[name]
        except ObjectDoesNotExist:  # a relation a new record has not been given
            unchanged = False
        if not unchanged:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed
