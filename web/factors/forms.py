"""The second factors' forms: a code typed (e-mailed, app, recovery), a second address."""

from django import forms
from dsfr.forms import DsfrBaseForm


class CodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, label: str | None = None, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        self.fields["code"].help_text = hint
        self._bound_fields_cache.clear()  # built by DsfrBaseForm with the former label


class LoginCodeForm(CodeForm):
    remember = forms.BooleanField(
        label="Se souvenir de ce navigateur pendant 6 mois",
        required=False,
        help_text="Ne cochez pas cette case sur un ordinateur partagé.",
    )


class SecondEmailForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse électronique de secours", max_length=100)


METHOD_HINTS = {
    "email": "Le code à 6 chiffres reçu par courriel.",
    "totp": "Le code à 6 chiffres affiché par votre application d'authentification.",
    "recovery": (
        "Un de vos codes de secours : deux groupes de 5 caractères séparés par un tiret "
        "(il ne servira plus)."
    ),
}
METHOD_LABELS = {
    "email": "Code reçu par courriel",
    "totp": "Code de l'application",
    "recovery": "Code de secours",
}


class PasskeyNameForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom de la clé d'accès",
        max_length=64,
        help_text="Pour la reconnaître parmi les autres : « Téléphone », « Clé USB du bureau »…",
    )
