"""What the registration steps keep between pages, encrypted in the server-side session.

The password and the trust answer must survive from step 2/3 to the confirmation (going back
keeps what was typed, the name check needs the password); they are therefore never stored in
clear, even in the session table, and are dropped once the registration is submitted.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "registration_wizard"


def _fernet() -> Fernet:
    key = hashlib.sha256(f"registration-wizard:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def load(request: HttpRequest) -> dict:
    token = request.session.get(SESSION_KEY)
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}


def save(request: HttpRequest, data: dict) -> None:
    request.session[SESSION_KEY] = _fernet().encrypt(json.dumps(data).encode()).decode()


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
