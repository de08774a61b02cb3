from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.queries import designatable_subscriber
from habilitations.catalogue import SERVICES
from habilitations.choices import Role
from web.company_fields import bank_fields, clean_bank, clean_company_email, company_email_fields

NUMBER_ERRORS = {
    "required": "Saisissez le numéro d'abonné.",
    "invalid": "Un numéro d'abonné comporte 14 chiffres.",
}
UNKNOWN_NUMBER = "Aucun espace professionnel ne correspond à ce numéro d'abonné."


class SubscriberNumberField(forms.RegexField):
    def __init__(self, **kwargs):
        super().__init__(
            # ASCII digits only (docs/companies.md §1.5): `\d` would take any script's digits.
            regex=r"^[0-9]{14}$",
            label="Numéro d'abonné",
            max_length=20,
            error_messages=NUMBER_ERRORS,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **kwargs,
        )

    def clean(self, value):
        return super().clean((value or "").replace(" ", ""))


class DelegateNumberForm(DsfrBaseForm):
    """*Création d'un Délégataire*: the delegate's subscriber number."""

    number = SubscriberNumberField()

    def clean_number(self):
        number = self.cleaned_data["number"]
        self.subscriber = designatable_subscriber(number)
        if self.subscriber is None:
            raise forms.ValidationError(UNKNOWN_NUMBER)
        return number


class DeputyForm(DelegateNumberForm):
    """*Gérer vos administrateurs suppléants*: a service and the deputy's number."""

    service = forms.ChoiceField(label="Service")
    field_order = ["service", "number"]

    def __init__(self, *args, services: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services


class BulkDelegationForm(DelegateNumberForm):
    """A newcomer: one level on some elementary services, for many dossiers at once."""

    role = forms.ChoiceField(
        label="Niveau",
        choices=[("AC", "Acteur"), ("AD", "Acteur délégant")],
        widget=forms.RadioSelect,
        initial="AC",
    )
    codes = forms.MultipleChoiceField(
        label="Services élémentaires",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un service."},
    )
    query = forms.CharField(
        label="Dossiers concernés",
        help_text="Tous vos dossiers dont le SIREN commence ainsi, ou dont la dénomination "
        "contient ces mots (ou leur début), dans n'importe quel ordre ; laissez vide pour tous "
        "vos dossiers.",
        required=False,
        max_length=100,
    )

    def __init__(self, *args, codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = codes

    def clean_codes(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["codes"]))


class DossierChoiceForm(forms.Form):
    """*Valider* under a list of dossiers (docs/habilitations.md §10): which one. Whether the
    subscriber may open it is the guard's question (`web.guards.dossier_or_403`)."""

    dossier = forms.CharField(
        max_length=20,
        error_messages={"required": "Sélectionnez un dossier dans la liste, puis validez."},
    )


class DelegationLevelsForm(forms.Form):
    """*Déléguer mes habilitations*: the view reads the posted ``level-<code>`` selects itself
    (a level beyond the granter's rights is refused, 403); this form carries the errors shown
    above the table."""


class BankAccountForm(DsfrBaseForm):
    """*Ajouter un compte bancaire*."""

    iban, bic, holder = bank_fields(required=True).values()
    label = forms.CharField(
        label="Libellé du compte",
        help_text="Le nom sous lequel vos délégués verront ce compte (par exemple « Compte "
        "courant »).",
        max_length=50,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        clean_bank(self, cleaned)
        return cleaned


class CompanyEmailForm(DsfrBaseForm):
    """*Modifier l'adresse électronique de l'entreprise*."""

    company_email, company_email_confirmation = company_email_fields(required=True).values()

    def clean(self):
        cleaned = super().clean()
        clean_company_email(self, cleaned)
        return cleaned


class HabilitationsFilterForm(DsfrBaseForm):
    """*Consulter vos services (habilitations)*: narrow by company, service and role (GET)."""

    q = forms.CharField(
        label="Entreprise",
        help_text="SIREN (ou son début), ou des mots de la dénomination.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    service = forms.ChoiceField(
        label="Service",
        required=False,
        choices=[("", "Tous les services"), *((s.code, s.label) for s in SERVICES)],
        error_messages={"invalid_choice": "Choisissez un service de la liste."},
    )
    role = forms.ChoiceField(
        label="Rôle",
        required=False,
        choices=[("", "Tous les rôles"), *Role.choices],
        error_messages={"invalid_choice": "Choisissez un rôle de la liste."},
    )

    def filters(self) -> dict[str, str]:
        """The filters asked, those of a valid form only (an invalid one filters nothing)."""
        if not self.is_valid():
            return {"query": "", "service": "", "role": ""}
        data = self.cleaned_data
        return {"query": data["q"], "service": data["service"], "role": data["role"]}


class StrongFactorForm(DsfrBaseForm):
    """*Exiger une authentification forte*: the date from which it applies."""

    applies_from = forms.DateField(
        label="Date à partir de laquelle l'authentification forte est exigée",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Saisissez la date à partir de laquelle l'exigence s'applique.",
            "invalid": "Saisissez une date valide, au format JJ/MM/AAAA.",
        },
    )
