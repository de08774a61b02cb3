"""Forms of the space: logging in, *Gérer vos coordonnées* (the registration form's fields) and
the trust question."""

from django import forms
from dsfr.forms import DsfrBaseForm

from core.text import normalize_email
from web.passwords.forms import ReauthenticatedForm
from web.signup.forms import ProfileForm


class CoordinatesForm(ProfileForm):
    """The registration form (docs/accounts.md §3) without the login e-mail and the trust question,
    which have their own pages."""

    trust_question = None
    trust_answer = None


class TrustQuestionForm(ReauthenticatedForm):
    """A new trust question and answer, behind the current password (docs/security.md §2, §9)."""

    trust_question = ProfileForm.base_fields["trust_question"]
    trust_answer = ProfileForm.base_fields["trust_answer"]
    field_order = ["trust_question", "trust_answer", "current_password"]
    clean_trust_answer = ProfileForm.clean_trust_answer


class LoginForm(DsfrBaseForm):
    # Named "username" for django-axes, which reads the login from this field.
    username = forms.CharField(
        label="Adresse électronique",
        max_length=254,
        error_messages={"required": "Saisissez votre adresse électronique."},
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=4096,
        error_messages={"required": "Saisissez votre mot de passe."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])
