"""Protected identifiers (CIN and the like): encrypted at rest, found by a keyed digest.

The database holds the ciphertext (AES-GCM), an HMAC digest for uniqueness and
look-ups, and a short hint for masked display. Neither the ciphertext nor the
digest can be read or reversed without RELAIS_FIELD_KEY.
"""

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
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
    return digester()(value)


def digester() -> Callable[[str], str]:
    """`digest` with the key read once, for imports that digest every row.

    HMAC-SHA256 from hash states prepared once per key: about twice as fast as
    `hmac.new` for each value, and the same digest.
    """
    inner, outer = _hmac_states(_key(b"digest"))

    def digest(value: str) -> str:
        hashed = inner.copy()
        hashed.update(value.encode())
        sealed = outer.copy()
        sealed.update(hashed.digest())
        return sealed.hexdigest()

    return digest


_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


@lru_cache(maxsize=8)
def _hmac_states(key: bytes):
    # RFC 2104, as the hmac module does it: the key padded to the block size.
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return (
        hashlib.sha256(key.translate(_INNER_PAD)),
        hashlib.sha256(key.translate(_OUTER_PAD)),
    )


@lru_cache(maxsize=8)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def encrypt(value: str) -> str:
    return encrypter()(value)


def encrypter() -> Callable[[str], str]:
    """`encrypt` with the key read once, for imports that encrypt every row."""
    cipher = _cipher(_key(b"encrypt"))
    urandom, b64encode = os.urandom, base64.b64encode

    def encrypt(value: str) -> str:
        # A fresh random nonce every time, drawn here: never shared by processes.
        nonce = urandom(12)
        return b64encode(nonce + cipher.encrypt(nonce, value.encode(), None)).decode()

    return encrypt


def decrypt(token: str) -> str:
    raw = base64.b64decode(token)
    return _cipher(_key(b"encrypt")).decrypt(raw[:12], raw[12:], None).decode()


MASK_WIDTH = 8
SHOWN_DIGITS = 2
# Fewer digits than this and none is shown: the hidden ones would be too few.
MIN_DIGITS_TO_SHOW = 5


def mask(value: str) -> str:
    """The last two digits behind a fixed row of dots: "••••••56".

    The mask is what most roles see, and a CIN can be confirmed by trying it
    elsewhere, so it must leave many candidates: it shows neither the letters
    (the issuing office, which where someone lives gives away) nor how many
    digits there are. A six-digit CIN then stays one of tens of prefixes times
    10,000, hundreds of thousands of candidates, where "AB••••56" left 10,000.
    The last two digits are enough to check a card in hand at a desk; people
    who need the whole CIN see it in full (and that is audited).
    """
    digits = len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if digits < MIN_DIGITS_TO_SHOW:
        return "•" * MASK_WIDTH
    return "•" * (MASK_WIDTH - SHOWN_DIGITS) + value[-SHOWN_DIGITS:]


def mask_email(value: str) -> str:
    """Keep the first letter and the domain: "k•••@example.ma"."""
    local, at, domain = value.partition("@")
    if not at:
        return mask(value)
    return f"{local[:1]}•••@{domain}"
