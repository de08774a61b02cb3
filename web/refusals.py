"""How every page shows a refusal (`core.refusals.Refusal`): next to its field on a form,
above the form otherwise, or as a page message when there is no form."""

from django import forms
from django.contrib import messages

from core.refusals import Refusal


def add_to_form(form: forms.Form, refusal: Refusal) -> None:
    """Put the refusal's messages next to its field (or above the form if the form has no
    such field)."""
    field = refusal.field if refusal.field in form.fields else None
    for message in refusal.messages:
        form.add_error(field, message)


def add_to_page(request, refusal: Refusal) -> None:
    """Show the refusal as an error message on the next page rendered."""
    for message in refusal.messages:
        messages.error(request, message)
