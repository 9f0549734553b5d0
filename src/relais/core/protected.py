"""Protected identifiers (CIN and the like): encrypted at rest, found by a keyed digest.

The database holds the ciphertext (AES-GCM), an HMAC digest for uniqueness and
look-ups, and a short hint for masked display. Neither the ciphertext nor the
digest can be read or reversed without RELAIS_FIELD_KEY.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


def _key(purpose: bytes) -> bytes:
    return _derive(settings.RELAIS_FIELD_KEY, purpose)


@lru_cache(maxsize=8)
def _derive(secret: str, purpose: bytes) -> bytes:
    # Keyed on the secret itself, so a changed setting (in tests) takes effect.
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def digest(value: str) -> str:
    """A stable keyed digest: equal identifiers give equal digests."""
    return hmac.new(_key(b"digest"), value.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=8)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(_key(b"encrypt")).encrypt(nonce, value.encode(), None)
    return base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    raw = base64.b64decode(token)
    return _cipher(_key(b"encrypt")).decrypt(raw[:12], raw[12:], None).decode()


def mask(value: str) -> str:
    """Keep the letters and the last two digits: "AB****56"."""
    letters = len(value) - len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    hidden = max(len(value) - letters - 2, 0)
    return value[:letters] + "•" * hidden + value[letters + hidden :]
