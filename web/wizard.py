"""Multi-page forms (the expert and simplified sign-ups): what each step keeps between
pages, encrypted in the server-side session, and the order of the steps.

The password and the trust answer must survive from their step to the confirmation (going
back keeps what was typed, the name check needs the password); they are therefore never
stored in clear, even in the session table, and are dropped once the form is submitted.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.sealing import seal, unseal

# What a draft keeps of a field that declares no length of its own (a choice, a number…).
DRAFT_DEFAULT_MAX_LENGTH = 100


class WizardTooLarge(SuspiciousOperation):
    """The data a wizard was asked to keep is larger than WIZARD_MAX_BYTES (Django answers 400)."""


def draft_of(form_class: type[forms.Form], posted: Mapping[str, str]) -> dict[str, str]:
    """What was typed in a form not submitted yet (kept when going back), each value cut to
    its field's max_length: a draft is never larger than the form allows."""
    draft = {}
    for name, field in form_class.base_fields.items():
        limit = getattr(field, "max_length", None) or DRAFT_DEFAULT_MAX_LENGTH
        draft[name] = str(posted.get(name, ""))[:limit]
    return draft


@dataclass(frozen=True)
class Step:
    url_name: str  # the page of the step
    title: str  # as the DSFR stepper shows it
    done: Callable[[dict], bool]  # has the kept data what this step asks?


class Wizard:
    """One multi-page form: its steps, in order, and its data under a session key of its own
    (two wizards never see each other's data)."""

    def __init__(self, session_key: str, steps: list[Step]):
        self.session_key = session_key
        self.purpose = f"wizard:{session_key}"
        self.steps = steps

    def load(self, request: HttpRequest) -> dict:
        token = request.session.get(self.session_key)
        text = unseal(token, self.purpose) if token else None
        if not text:
            return {}
        try:
            return json.loads(text)
        except ValueError:
            return {}

    def save(self, request: HttpRequest, data: dict) -> None:
        """Keep `data`, sealed; a payload larger than WIZARD_MAX_BYTES is refused (400), so that
        an anonymous POST cannot fill the session table (drafts are capped by `draft_of`)."""
        token = seal(json.dumps(data), self.purpose)
        if len(token) > settings.WIZARD_MAX_BYTES:
            raise WizardTooLarge(f"{self.session_key}: {len(token)} bytes")
        request.session[self.session_key] = token

    def clear(self, request: HttpRequest) -> None:
        request.session.pop(self.session_key, None)

    def guard(self, request: HttpRequest, url_name: str) -> tuple[dict, HttpResponse | None]:
        """The kept data, and a redirection to the first step not done yet if it comes
        before `url_name` (nothing is possible before)."""
        data = self.load(request)
        names = [step.url_name for step in self.steps]
        for step in self.steps[: names.index(url_name)]:
            if not step.done(data):
                return data, redirect(step.url_name)
        return data, None

    def url_of(self, number: int) -> str:
        """The page of step `number` (counting from 1)."""
        return self.steps[number - 1].url_name

    def url_after(self, number: int) -> str:
        """The page of the step after `number`."""
        return self.steps[number].url_name

    def context(self, number: int, **extra) -> dict:
        """What the step templates (and the stepper) need; `number` counts from 1."""
        steps = [(step.url_name, step.title) for step in self.steps]
        return {"steps": steps, "current_step": number, "step_count": len(steps), **extra}
