"""Ready a new app-server process before it answers anyone.

A fresh process compiles each template, reads each language's catalogue and
builds the map of URLs the first time a page needs them: its first pages took
about two seconds, paid by whoever came first after a start or a restart.
`config/wsgi.py` calls `warm_up` once, at start (in gunicorn's master process
with --preload, so that its workers are born ready).
"""

from pathlib import Path

from django.conf import settings
from django.template.autoreload import get_template_directories
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> int:
    """Build the URL map, read every catalogue, compile every template of the
    project's apps; returns how many templates. Reads no database."""
    get_resolver().reverse_dict  # noqa: B018 - built on first access
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # reads the language's catalogues
    translation.deactivate()
    compiled = 0
    for folder in get_template_directories():
        for path in Path(folder).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".txt", ".svg"):
                get_template(str(path.relative_to(folder)))
                compiled += 1
    return compiled
