"""Forms of the password pages (*Mot de passe expiré*, *Mot de passe oublié*, *Modifiez vos
identifiants*): they check the shape of input; the rules are in `accounts.flows`."""

from collections.abc import Callable

from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.flows.identifiers_change import new_email_problem
from accounts.flows.password_change import new_password_errors
from accounts.models import Subscriber, TrustQuestion
from accounts.passwords import MAX_LENGTH
from web.fields import NormalizedEmailField, captcha_field
from web.signup.forms import STRENGTH_INPUT, strength_widget

PASSWORDS_DIFFER = "Les deux mots de passe sont différents."
WRONG_CURRENT_PASSWORD = "Votre mot de passe actuel est incorrect."


def email_field(label: str, **kwargs) -> NormalizedEmailField:
    return NormalizedEmailField(
        label=label,
        error_messages={"required": "Saisissez votre adresse électronique de connexion."},
        **kwargs,
    )


def password_field(label: str, *, autocomplete: str, required: bool = True, **kwargs):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=kwargs.pop("max_length", 4096),
        required=required,
        widget=kwargs.pop("widget", forms.PasswordInput(attrs={"autocomplete": autocomplete})),
        **kwargs,
    )


class NewPasswordForm(DsfrBaseForm):
    """A new password and its confirmation, with the strength indicator."""

    new_password1 = password_field(
        "Saisissez votre nouveau mot de passe",
        autocomplete="new-password",
        help_text="(20 caractères minimum) Pensez à noter votre mot de passe.",
        max_length=MAX_LENGTH,
        widget=strength_widget(),
        template_name=STRENGTH_INPUT,
        error_messages={"required": "Saisissez votre nouveau mot de passe."},
    )
    new_password2 = password_field(
        "Confirmez votre nouveau mot de passe",
        autocomplete="new-password",
        max_length=MAX_LENGTH,
        error_messages={"required": "Confirmez votre nouveau mot de passe."},
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", PASSWORDS_DIFFER)
        return cleaned


class ExpiredEmailForm(DsfrBaseForm):
    """*Mot de passe expiré*, step 1: the login e-mail and a CAPTCHA (docs/accounts.md §9)."""

    email = email_field("Saisissez votre adresse électronique de connexion")
    captcha = captcha_field()


class ExpiredPasswordForm(NewPasswordForm):
    """*Mot de passe expiré*, step 2: the old password, the new one and its confirmation."""

    old_password = password_field(
        "Saisissez votre ancien mot de passe",
        autocomplete="current-password",
        error_messages={"required": "Saisissez votre ancien mot de passe."},
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class ForgottenEmailForm(DsfrBaseForm):
    email = email_field("Saisissez votre adresse électronique de connexion")


class ForgottenAnswerForm(DsfrBaseForm):
    """The trust question is chosen in the list, so that the page is the same for every e-mail
    (docs/security.md §7: nothing tells whether an e-mail has a space)."""

    trust_question = forms.ChoiceField(
        label="Votre question de confiance",
        help_text="Celle que vous avez choisie lors de la création de votre espace (elle figure "
        "sur le récapitulatif de vos coordonnées).",
        choices=[("", "Choisissez votre question"), *TrustQuestion.choices],
        error_messages={"required": "Choisissez votre question de confiance."},
    )
    trust_answer = forms.CharField(
        label="Votre réponse",
        help_text="Les majuscules et les accents ne comptent pas.",
        max_length=100,
        error_messages={"required": "Saisissez la réponse à votre question de confiance."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ResetPasswordForm(NewPasswordForm):
    pass


class EmailCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code de confirmation",
        help_text="Le code de 12 caractères reçu à votre nouvelle adresse électronique.",
        max_length=40,
        error_messages={"required": "Saisissez le code reçu à votre nouvelle adresse."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


def current_password_field() -> forms.CharField:
    return password_field(
        "Votre mot de passe actuel",
        autocomplete="current-password",
        help_text="Pour votre sécurité, il est demandé pour valider toute modification.",
        error_messages={"required": "Saisissez votre mot de passe actuel."},
    )


class ReauthenticatedForm(DsfrBaseForm):
    """A form whose changes need the current password, checked (and counted) by the flow."""

    current_password = current_password_field()

    def __init__(self, *args, check_current_password: Callable[[str], bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.check_current_password = check_current_password

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        if not self.check_current_password(password):
            raise forms.ValidationError(WRONG_CURRENT_PASSWORD)
        return password

    @property
    def reauthenticated(self) -> bool:
        return "current_password" in self.cleaned_data


class IdentifiersChangeForm(ReauthenticatedForm):
    """*Modifiez vos identifiants* (docs/accounts.md §11): e-mail and/or password, each behind a
    box."""

    change_email = forms.BooleanField(label="Modifier mon adresse électronique", required=False)
    new_email = email_field("Votre nouvelle adresse électronique", required=False)
    new_email_confirmation = email_field(
        "Confirmez votre nouvelle adresse électronique", required=False
    )
    change_password = forms.BooleanField(label="Saisir mon nouveau mot de passe", required=False)
    new_password1 = NewPasswordForm.base_fields["new_password1"]
    new_password2 = NewPasswordForm.base_fields["new_password2"]
    field_order = [
        "change_email",
        "new_email",
        "new_email_confirmation",
        "change_password",
        "new_password1",
        "new_password2",
        "current_password",
    ]

    def __init__(self, *args, subscriber: Subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriber = subscriber
        # Rendered by our own snippet, which escapes help texts (django-dsfr's does not).
        self.fields["change_email"].help_text = f"Adresse actuelle : {subscriber.email}"
        self.fields["new_password1"].required = self.fields["new_password2"].required = False
        # Required once their box is ticked: not marked "optional".
        for name in ["new_email", "new_email_confirmation", "new_password2"]:
            self.fields[name].template_name = "partials/conditional_input.html"
        for name in ["change_email", "change_password"]:
            self.fields[name].template_name = "partials/conditional_checkbox.html"
        self._bound_fields_cache.clear()

    def clean(self):
        cleaned = super().clean()
        change_email, change_password = cleaned.get("change_email"), cleaned.get("change_password")
        if not change_email and not change_password:
            self._refuse_unticked(cleaned)
            return cleaned
        new_email = cleaned.get("new_email") or ""
        if change_email:
            self._check_email(cleaned, new_email)
        elif new_email:
            self.add_error("change_email", "Cochez cette case pour modifier votre adresse.")
        if change_password:
            self._check_password(cleaned, new_email if change_email else "")
        elif cleaned.get("new_password1"):
            self.add_error("change_password", "Cochez cette case pour modifier votre mot de passe.")
        return cleaned

    def _refuse_unticked(self, cleaned: dict) -> None:
        if cleaned.get("new_email") or cleaned.get("new_password1"):
            self.add_error(None, "Cochez le ou les identifiants que vous souhaitez modifier.")
        else:
            self.add_error(None, "Vous n'avez demandé aucune modification.")

    def _check_email(self, cleaned: dict, new_email: str) -> None:
        confirmation = cleaned.get("new_email_confirmation") or ""
        if not new_email:
            if "new_email" not in self.errors:
                self.add_error("new_email", "Saisissez votre nouvelle adresse électronique.")
        elif new_email != confirmation:
            self.add_error(
                "new_email_confirmation", "Les deux adresses électroniques sont différentes."
            )
        elif self.reauthenticated and (problem := new_email_problem(self.subscriber, new_email)):
            # Only once the current password is known right: a stolen session must not be able
            # to test which e-mails have a space.
            self.add_error("new_email", problem)

    def _check_password(self, cleaned: dict, new_email: str) -> None:
        password1 = cleaned.get("new_password1") or ""
        if not password1:
            self.add_error("new_password1", "Saisissez votre nouveau mot de passe.")
            return
        if password1 != (cleaned.get("new_password2") or ""):
            self.add_error("new_password2", PASSWORDS_DIFFER)
        if self.reauthenticated:
            others = (new_email,) if new_email else ()
            for error in new_password_errors(self.subscriber, password1, other_emails=others):
                self.add_error("new_password1", error)
