"""Where an import keeps its uploaded file and its dry run's report.

In Django's storage "imports" (settings.STORAGES), so that every app server
and every task worker reach the same files: by default a folder of the
machine (RELAIS_IMPORTS_DIR, else RELAIS_VAR_DIR/imports), which several
machines share by mounting it; object storage through django-storages
otherwise. Files get random names, are readable by Relais alone, and live
until their import ends.

The sheet readers need a file on disk: a folder gives its own path; any other
storage, a temporary copy for the time of the reading.
"""

import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages


class ImportsStorage(FileSystemStorage):
    """The imports' folder, read from the settings when used (tests move it)."""

    @property
    def base_location(self):
        return str(
            getattr(settings, "RELAIS_IMPORTS_DIR", "")
            or Path(settings.VAR_DIR) / "imports"
        )

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def _storage():
    return storages["imports"]


def keep(source, suffix: str) -> str:
    """Store a file (a path or a binary file) under a new random name."""
    name = f"{secrets.token_hex(16)}{suffix}"
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return _storage().save(name, File(handle))
    return _storage().save(name, File(source))


def exists(name: str) -> bool:
    return bool(name) and _storage().exists(name)


def size(name: str) -> int:
    return _storage().size(name)


def open_file(name: str):
    return _storage().open(name, "rb")


def delete(*names: str) -> None:
    for name in names:
        if name:
            _storage().delete(name)


@contextmanager
def on_disk(name: str):
    """The stored file as a path the sheet readers can open."""
    storage = _storage()
    if isinstance(storage, FileSystemStorage):
        yield Path(storage.path(name))
        return
    with (
        storage.open(name, "rb") as remote,
        tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy,
    ):
        shutil.copyfileobj(remote, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)
