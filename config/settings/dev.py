"""Local development and the demo: SQLite, debug on.

Demo mode (demo accounts, and the development keys below) needs
RELAIS_DEMO_MODE=1, as `make run` sets it: the `relais` command refuses these
keys without it (relais.cli), so that nothing real is encrypted with them.
"""

import os

from .base import *  # noqa: F403
from .base import IMPORTS_STORAGE, INSTALLED_APPS, VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "relais.devtools"]

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Development keys only, published here; production.py refuses them.
SECRET_KEY = os.environ.get("RELAIS_SECRET_KEY") or "dev-only-not-secret"
RELAIS_FIELD_KEY = os.environ.get("RELAIS_FIELD_KEY") or "dev-only-field-key"
# Static files come from the apps directly; collectstatic is for production.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "imports": IMPORTS_STORAGE,
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
