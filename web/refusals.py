"""How every page shows a refusal (`core.refusals.Refusal`): next to its field on a form,
above the form otherwise, or as a page message when there is no form. (A page whose whole
subject is the refusal — a link that no longer works — shows its `message` as its content.)"""

from django import forms
from django.contrib import messages

from core.refusals import Refusal


def add_to_form(form: forms.Form, refusal: Refusal) -> None:
    """Put the refusal's messages next to its field (or above the form if the form has no
    such field). A lock (`login.locked`) is not a form error: it goes on to the lock page
    (`web.middleware.LoginLockedMiddleware`)."""
    if refusal.code == "login.locked":
        raise refusal
    field = refusal.field if refusal.field in form.fields else None
    for message in refusal.messages:
        form.add_error(field, message)


def as_validation_error(refusal: Refusal) -> forms.ValidationError:
    """The refusal as a form field's error (raise it from a `clean_<field>` method)."""
    return forms.ValidationError(refusal.messages, code=refusal.code)


def add_to_page(request, refusal: Refusal) -> None:
    """Show the refusal as an error message on the next page rendered."""
    for message in refusal.messages:
        messages.error(request, message)
