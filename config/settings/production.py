"""Production: every secret and host comes from the environment; nothing defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import RELAIS_PUBLISHED_KEYS


def required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


def secret(name: str) -> str:
    value = required(name)
    if value in RELAIS_PUBLISHED_KEYS:
        raise ImproperlyConfigured(
            f"{name} is a development key published in the repository: set a "
            "secret value of your own."
        )
    return value


SECRET_KEY = secret("RELAIS_SECRET_KEY")
RELAIS_FIELD_KEY = secret("RELAIS_FIELD_KEY")
ALLOWED_HOSTS = required("RELAIS_ALLOWED_HOSTS").split(",")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
RELAIS_DEMO_MODE = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("RELAIS_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("RELAIS_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
