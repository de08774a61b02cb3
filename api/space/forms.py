"""Forms of *Accès pour vos logiciels*."""

from datetime import timedelta

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from api.models import Scope
from api.webhook_addresses import URL_MAX_LENGTH
from core import clock


def _default_expiry():
    return (clock.now() + timedelta(days=365)).date()


class ConfirmedForm(DsfrBaseForm):
    """A form giving a program lasting access to the space: the view asks a fresh second factor
    before it is saved (`web.factors.step_up`, docs/security.md §9.1, §14.4)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = int(settings.REAUTHENTICATION_WINDOW.total_seconds() // 60)
        self.step_up_minutes = minutes


class TokenForm(ConfirmedForm):
    name = forms.CharField(
        label="Nom du jeton",
        help_text="Le logiciel qui l'utilisera, par exemple « Logiciel comptable du cabinet ».",
        max_length=80,
    )
    scopes = forms.MultipleChoiceField(
        label="Portées",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une portée."},
    )
    expires_on = forms.DateField(
        label="Date d'expiration",
        help_text=f"Au plus {settings.API_TOKEN_MAX_DAYS} jours (deux ans). Format : jj/mm/aaaa.",
        initial=_default_expiry,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Saisissez une date au format jj/mm/aaaa."},
    )


class WebhookForm(ConfirmedForm):
    # The address's rules (length included) are `api.webhook_addresses.check_url`'s, as for the API;
    # the browser is only told the length.
    url = forms.CharField(
        label="Adresse HTTPS",
        help_text="Elle recevra les événements de vos dossiers, signés (voir la documentation).",
        widget=forms.TextInput(attrs={"maxlength": URL_MAX_LENGTH}),
    )


def add_refusal(form: forms.Form, refusal) -> None:
    """A refusal next to its field, or above the form."""
    field = refusal.field if refusal.field in form.fields else None
    for message in refusal.messages:
        form.add_error(field, message)
