"""Local development and the demo: SQLite, debug on, demo accounts allowed."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
RELAIS_DEMO_MODE = os.environ.get("RELAIS_DEMO_MODE", "1") == "1"
# Development keys only; production.py refuses to start without real ones.
SECRET_KEY = os.environ.get("RELAIS_SECRET_KEY") or "dev-only-not-secret"
RELAIS_FIELD_KEY = os.environ.get("RELAIS_FIELD_KEY") or "dev-only-field-key"
# Static files come from the apps directly; collectstatic is for production.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
