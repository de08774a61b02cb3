"""What the registration steps keep between pages, encrypted in the server-side session.

The password and the trust answer must survive from step 2/3 to the confirmation (going back
keeps what was typed, the name check needs the password); they are therefore never stored in
clear, even in the session table, and are dropped once the registration is submitted.
"""

import json

from django.http import HttpRequest

from core.sealing import seal, unseal

SESSION_KEY = "registration_wizard"
PURPOSE = "registration-wizard"


def load(request: HttpRequest) -> dict:
    token = request.session.get(SESSION_KEY)
    text = unseal(token, PURPOSE) if token else None
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return {}


def save(request: HttpRequest, data: dict) -> None:
    request.session[SESSION_KEY] = seal(json.dumps(data), PURPOSE)


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
