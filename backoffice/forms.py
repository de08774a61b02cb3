"""The back office's forms: logging in, the reason every action asks for, the agent's own
credentials (*Mon compte*), and the few data an agent types (an entity without SIREN, a SIREN,
a new agent, a period of the trail)."""

from django import forms
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

from accounts.passwords import MAX_LENGTH
from backoffice.roles import AgentRole

# The subscribers' field template: the strength indicator directly under the input.
STRENGTH_INPUT = "partials/password_strength_input.html"
PASSWORDS_DIFFER = "Les deux mots de passe ne sont pas identiques."


class LoginForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=100,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
        error_messages={"required": "Saisissez votre adresse électronique."},
    )
    password = forms.CharField(
        label="Mot de passe",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe."},
    )


TOTP_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric"}


def _code_field(label: str, help_text: str, required: str, attrs: dict) -> forms.CharField:
    """A one-time code's field (the login's, the enrolment's, the reset's)."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": required},
    )


class CodeForm(DsfrBaseForm):
    code = _code_field(
        "Code à usage unique",
        "Les 6 chiffres de votre application d'authentification, ou un code de secours.",
        "Saisissez le code.",
        TOTP_ATTRS,
    )


class EnrolmentCodeForm(DsfrBaseForm):
    code = _code_field(
        "Code à usage unique",
        "Les 6 chiffres affichés par l'application qui vient de lire ce QR code.",
        "Saisissez le code.",
        TOTP_ATTRS,
    )


class ResetCodeForm(DsfrBaseForm):
    code = _code_field(
        "Code reçu par courriel",
        "Les 12 caractères envoyés à votre adresse quand votre second facteur a été réinitialisé.",
        "Saisissez le code reçu par courriel.",
        {"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class ActivationForm(DsfrBaseForm):
    email = LoginForm.base_fields["email"]
    code = forms.CharField(
        label="Code d'activation",
        help_text="Le code reçu par courriel à votre adresse professionnelle.",
        max_length=20,
        error_messages={"required": "Saisissez le code d'activation."},
    )
    password1 = forms.CharField(
        label="Mot de passe",
        help_text="Au moins 20 caractères ; une phrase de passe est plus facile à retenir.",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Saisissez un mot de passe."},
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirmez le mot de passe."},
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", PASSWORDS_DIFFER)
        return data


def current_password_field() -> forms.CharField:
    return forms.CharField(
        label="Votre mot de passe actuel",
        help_text="Pour votre sécurité, il est demandé pour toute modification.",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe actuel."},
    )


class CurrentPasswordForm(DsfrBaseForm):
    current_password = current_password_field()


class PasswordChangeForm(DsfrBaseForm):
    """*Mon compte* : the current password, the new one (with the strength indicator) and its
    confirmation; the rules are checked by `backoffice.account.change_password`."""

    current_password = current_password_field()
    new_password1 = forms.CharField(
        label="Nouveau mot de passe",
        help_text="Au moins 20 caractères ; une phrase de passe est plus facile à retenir.",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "autocomplete": "new-password",
                "hx-post": reverse_lazy("backoffice:password_strength"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#password-strength",
                "hx-swap": "innerHTML",
                "hx-include": "this",
                "aria-describedby": "password-strength",
            }
        ),
        template_name=STRENGTH_INPUT,
        error_messages={"required": "Saisissez votre nouveau mot de passe."},
    )
    new_password2 = forms.CharField(
        label="Confirmation du nouveau mot de passe",
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirmez votre nouveau mot de passe."},
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") != data.get("new_password1"):
            self.add_error("new_password2", PASSWORDS_DIFFER)
        return data


class ReasonForm(DsfrBaseForm):
    """Every agent action gives its reason (docs/backoffice.md §8)."""

    reason = forms.CharField(
        label="Motif",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Saisissez le motif de cette action."},
    )
    ticket = forms.CharField(label="Numéro de ticket (facultatif)", max_length=40, required=False)

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Saisissez le motif de cette action.")
        return reason


class EntityForm(ReasonForm):
    """An entity without SIREN (an IDSP), or a company's corrected data."""

    name = forms.CharField(label="Dénomination", max_length=250)
    street_line = forms.CharField(label="Adresse", max_length=250, required=False)
    postal_code = forms.CharField(label="Code postal", max_length=10, required=False)
    city = forms.CharField(label="Commune", max_length=100)
    country = forms.CharField(label="Pays", max_length=60, initial="FRANCE")
    field_order = ["name", "street_line", "postal_code", "city", "country", "reason", "ticket"]


class SirenForm(ReasonForm):
    siren = forms.CharField(label="SIREN", max_length=20)
    field_order = ["siren", "reason", "ticket"]


class AgentForm(ReasonForm):
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        help_text="Le code d'activation y est envoyé : il n'est affiché à personne.",
        max_length=100,
    )
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    role = forms.ChoiceField(label="Rôle", choices=AgentRole.choices)
    field_order = ["email", "first_name", "last_name", "role", "reason", "ticket"]


class PeriodForm(DsfrBaseForm):
    start = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Au (inclus)", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "La fin de la période précède son début.")
        return data
