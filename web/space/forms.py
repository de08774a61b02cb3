"""Forms of the space: logging in, *Gérer vos coordonnées* (the registration form's fields) and
the trust question."""

from django import forms
from dsfr.forms import DsfrBaseForm

from core.text import normalize_email
from web.fields import captcha_field
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
    # "username": the name password managers and Django's authentication expect.
    username = forms.CharField(
        label="Adresse électronique",
        max_length=254,
        error_messages={"required": "Saisissez votre adresse électronique."},
        # No autofocus: it would skip the page's skip links for keyboard and screen reader users.
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=4096,
        error_messages={"required": "Saisissez votre mot de passe."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, with_captcha: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_captcha:  # after repeated failures on this e-mail (docs/security.md §6)
            self.fields["captcha"] = captcha_field()

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])
