"""Symmetric encryption of small secrets at rest (Fernet, a key derived from SECRET_KEY per
purpose): the registration wizard's state, e-mail bodies awaiting delivery."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet(purpose: str) -> Fernet:
    key = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str, purpose: str) -> str:
    return _fernet(purpose).encrypt(text.encode()).decode()


def unseal(token: str, purpose: str) -> str | None:
    """The sealed text, or None if the token is not one of ours (or the key changed)."""
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
