"""Forms of the space's pages: they parse and check the shape of input; the rules are in
`accounts.passwords`, `accounts.flows` and `companies.identifiers`."""

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from dsfr.forms import DsfrBaseForm

from accounts.models import Civility, TrustQuestion
from accounts.names import clean_name
from accounts.passwords import MAX_LENGTH, contains_names, password_errors
from companies.identifiers import normalize_company_identifier
from companies.lookup import company_name
from core.refusals import Refusal
from web.fields import NormalizedEmailField
from web.refusals import add_to_form, as_validation_error


def strength_widget(**attrs) -> forms.PasswordInput:
    """A password input that asks the server's scorer for Faible / Normal / Fort while typing."""
    return forms.PasswordInput(
        attrs={
            "autocomplete": "new-password",
            "hx-post": reverse_lazy("signup:password_strength"),
            "hx-trigger": "input changed delay:250ms, load",
            "hx-target": "#password-strength",
            "hx-swap": "innerHTML",
            "hx-include": "closest form",
            "aria-describedby": "password-strength",
            **attrs,
        },
        render_value=False,
    )


class ConditionsForm(DsfrBaseForm):
    accept = forms.BooleanField(
        label=(
            "Je reconnais avoir pris connaissance des conditions générales et les accepte "
            "sans restriction."
        ),
        required=True,
        error_messages={"required": "Vous devez accepter les conditions générales pour continuer."},
    )


class IdentifiersForm(DsfrBaseForm):
    email = NormalizedEmailField(
        label="Votre adresse électronique",
        help_text="Important : cette adresse électronique ne pourra être utilisée que pour un "
        "seul et unique espace.",
    )
    email_confirmation = NormalizedEmailField(
        label="Confirmer votre adresse électronique",
        autocomplete="off",
        error_messages={
            "invalid": "Saisissez une adresse électronique valide.",
            "required": "Confirmez votre adresse électronique.",
        },
    )
    password1 = forms.CharField(
        label="Votre mot de passe",
        help_text="Au moins 20 caractères, tous les caractères sont permis : une phrase de "
        "plusieurs mots est idéale. Pensez à noter votre mot de passe.",
        max_length=MAX_LENGTH,
        strip=False,
        required=False,
        widget=strength_widget(),
    )
    password2 = forms.CharField(
        label="Confirmer votre mot de passe",
        max_length=MAX_LENGTH,
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, has_stored_password: bool = False, email_problem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_stored_password = has_stored_password
        self.email_problem = email_problem
        password1, password2 = self.fields["password1"], self.fields["password2"]
        password1.error_messages["required"] = "Saisissez votre mot de passe."
        password2.error_messages["required"] = "Confirmez votre mot de passe."
        if has_stored_password:
            password1.help_text = (
                "Le mot de passe déjà saisi est conservé : laissez ces deux champs vides pour le "
                "garder, ou saisissez-en un nouveau."
            )
        else:
            password1.required = password2.required = True
        # The bound fields were built by DsfrBaseForm before these changes.
        self._bound_fields_cache.clear()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if self.email_problem and (problem := self.email_problem(email)):
            raise forms.ValidationError(problem)
        return email

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        confirmation = cleaned.get("email_confirmation")
        if email and confirmation and email != confirmation:
            self.add_error(
                "email_confirmation", "Les deux adresses électroniques sont différentes."
            )
        password1 = cleaned.get("password1") or ""
        password2 = cleaned.get("password2") or ""
        if not password1 and not password2 and self.has_stored_password:
            return cleaned
        if not password1:
            if "password1" not in self.errors:
                self.add_error("password1", "Saisissez votre mot de passe.")
            return cleaned
        for error in password_errors(password1, email=email or ""):
            self.add_error("password1", error)
        if password1 != password2:
            self.add_error("password2", "Les deux mots de passe sont différents.")
        return cleaned


class ProfileForm(DsfrBaseForm):
    """The registration form (*Formulaire d'inscription*, docs/accounts.md §3)."""

    civility = forms.ChoiceField(
        label="Civilité",
        choices=[("", "Choisir"), *Civility.choices],
        error_messages={"required": "Choisissez votre civilité."},
    )
    # The rule and its length are the domain's (accounts.names, docs/accounts.md §14).
    last_name = forms.CharField(
        label="Nom",
        strip=False,
        error_messages={"required": "Saisissez votre nom."},
        widget=forms.TextInput(
            attrs={"autocomplete": "family-name", "maxlength": settings.PERSON_NAME_MAX_LENGTH}
        ),
    )
    first_name = forms.CharField(
        label="Prénom",
        strip=False,
        error_messages={"required": "Saisissez votre prénom."},
        widget=forms.TextInput(
            attrs={"autocomplete": "given-name", "maxlength": settings.PERSON_NAME_MAX_LENGTH}
        ),
    )
    foreign_company = forms.TypedChoiceField(
        label="Entreprise étrangère",
        choices=[("non", "Non"), ("oui", "Oui")],
        coerce=lambda v: v == "oui",
        initial="non",
        widget=forms.RadioSelect,
    )
    company_identifier = forms.CharField(
        label="S.I.R.E.N ou équivalent",
        help_text="Il ne s'agit pas ici de saisir le SIREN pour lequel vous souhaitez adhérer aux "
        "services en ligne, mais du SIREN de l'entreprise dans laquelle vous exercez votre "
        "activité (pour une entreprise étrangère, son numéro d'identification).",
        max_length=30,
        error_messages={"required": "Saisissez le SIREN de votre entreprise d'appartenance."},
    )
    phone = forms.RegexField(
        label="Numéro de téléphone",
        regex=r"^\+?[0-9 .\-()]{6,25}$",
        max_length=30,
        error_messages={
            "required": "Saisissez votre numéro de téléphone.",
            "invalid": "Saisissez un numéro de téléphone (chiffres, espaces, « + » permis).",
        },
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    street_number = forms.CharField(label="Numéro de la voie", max_length=10, required=False)
    street_type = forms.CharField(label="Nature de la voie", max_length=40, required=False)
    street_name = forms.CharField(label="Libellé de la voie", max_length=150, required=False)
    address_complement = forms.CharField(
        label="Complément d'adresse", max_length=150, required=False
    )
    postal_code = forms.RegexField(
        label="Code postal",
        regex=r"^[0-9A-Za-z \-]{2,10}$",
        max_length=10,
        required=False,
        error_messages={"invalid": "Saisissez un code postal valide."},
    )
    city = forms.CharField(
        label="Ville", max_length=100, error_messages={"required": "Saisissez votre ville."}
    )
    country = forms.CharField(
        label="Pays",
        max_length=60,
        initial="FRANCE",
        error_messages={"required": "Saisissez votre pays."},
    )
    trust_question = forms.ChoiceField(
        label="Question",
        choices=TrustQuestion.choices,
        initial=TrustQuestion.NICKNAME,
    )
    trust_answer = forms.CharField(
        label="Réponse",
        help_text="Elle vous sera demandée lors d'opérations particulières (oubli du mot de "
        "passe par exemple). Les majuscules et les accents ne comptent pas.",
        max_length=100,
        error_messages={"required": "Saisissez la réponse à votre question de confiance."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, password: str = "", email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.password = password
        self.email = email

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def _clean_name(self, field: str) -> str:
        try:
            return clean_name(self.cleaned_data[field], field=field)
        except Refusal as refusal:
            raise as_validation_error(refusal) from refusal

    def clean_trust_answer(self) -> str:
        answer = " ".join(self.cleaned_data["trust_answer"].split())
        if len(answer) < 2:
            raise forms.ValidationError("La réponse doit comporter au moins 2 caractères.")
        return answer

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("company_identifier")
        if raw:
            if cleaned.get("foreign_company"):
                cleaned["company_identifier"] = " ".join(raw.split()).upper()
                cleaned["company_name"] = ""
            else:
                try:
                    identifier = normalize_company_identifier(raw)
                except Refusal as refusal:
                    add_to_form(self, Refusal(refusal.code, field="company_identifier"))
                else:
                    name = company_name(identifier)
                    if name is None:
                        add_to_form(self, Refusal("company.unknown", field="company_identifier"))
                    cleaned["company_identifier"] = identifier
                    cleaned["company_name"] = name or ""
        names = (cleaned.get("last_name", ""), cleaned.get("first_name", ""))
        if self.password and contains_names(self.password, names):
            self.add_error(
                None,
                "Votre mot de passe contient votre nom ou votre prénom : revenez à l'étape "
                "précédente pour en choisir un autre.",
            )
        return cleaned


class ActivationForm(DsfrBaseForm):
    """*Activer mon espace / mes services* with the code e-mailed at registration (expert mode):
    no password asked (docs/accounts.md §5.1)."""

    email = NormalizedEmailField(
        label="Adresse électronique",
        error_messages={
            "required": "Saisissez l'adresse électronique de votre espace.",
            "invalid": "Saisissez une adresse électronique valide.",
        },
    )
    code = forms.CharField(
        label="Code d'activation",
        help_text="Il ne s'agit pas de votre mot de passe, mais du code reçu dans votre "
        "messagerie électronique.",
        max_length=40,
        error_messages={"required": "Saisissez le code d'activation reçu par courriel."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class LetterActivationForm(ActivationForm):
    """The same page for a space created in simplified mode: the letter's code and the password
    chosen at the request, which only its author knows (docs/accounts.md §13.5)."""

    email = NormalizedEmailField(
        label="Adresse électronique de connexion",
        error_messages={
            "required": "Saisissez l'adresse électronique de connexion choisie lors de votre "
            "demande.",
            "invalid": "Saisissez une adresse électronique valide.",
        },
    )
    code = forms.CharField(
        label="Code d'activation",
        help_text="Le code de 12 caractères du courrier envoyé à l'adresse fiscale de votre "
        "entreprise.",
        max_length=40,
        error_messages={"required": "Saisissez le code reçu par courrier."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    password = forms.CharField(
        label="Mot de passe",
        help_text="Celui que vous avez choisi lors de votre demande de création en mode simplifié.",
        strip=False,
        max_length=4096,
        error_messages={"required": "Saisissez le mot de passe choisi lors de votre demande."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
