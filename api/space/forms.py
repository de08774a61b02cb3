"""Forms of *Accès pour vos logiciels*."""

from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from accounts.flows.reauthentication import WRONG_PASSWORD
from api.models import Scope
from api.webhook_addresses import URL_MAX_LENGTH
from core import clock


def _default_expiry():
    return (clock.now() + timedelta(days=365)).date()


class ConfirmedForm(DsfrBaseForm):
    """A form giving a program lasting access to the space: it asks the current password unless
    the session proved it recently (`accounts.flows.reauthentication`, docs/security.md §9.1).
    The view says which (`check_password` None: not asked)."""

    current_password = forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        max_length=4096,
        error_messages={"required": "Saisissez votre mot de passe actuel."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, check_password: Callable[[str], bool] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_password = check_password
        if check_password is None:
            del self.fields["current_password"]
        else:  # last, after what it confirms
            self.order_fields([name for name in self.fields if name != "current_password"])
            minutes = int(settings.REAUTHENTICATION_WINDOW.total_seconds() // 60)
            self.fields["current_password"].help_text = (
                "Pour votre sécurité, il est demandé avant de donner un accès à un logiciel ; "
                f"il ne l'est plus ensuite pendant {minutes} min."
            )

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        if not self.check_password(password):
            raise forms.ValidationError(WRONG_PASSWORD)
        return password

    def get_context(self):
        if "current_password" in getattr(self, "cleaned_data", {}):
            # Shown again with other errors, the password once right (the session is now
            # proved) is not asked again while the person fixes the rest.
            del self.fields["current_password"]
            self._bound_fields_cache.pop("current_password", None)
        return super().get_context()


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
