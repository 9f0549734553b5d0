"""The test suite: fast hashing, in-memory cache, demo mode on for the cast."""

from .base import *  # noqa: F403
from .base import IMPORTS_STORAGE, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "relais.devtools"]

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECRET_KEY = "test-only-not-secret"
RELAIS_FIELD_KEY = "test-only-field-key"
RELAIS_DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once, in the request that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Static files come from the apps directly; collectstatic is for production.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "imports": IMPORTS_STORAGE,
}
