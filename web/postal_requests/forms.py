"""Forms of adhesion, substitution and *Activer mes services*: they parse input; the rules
(which services, the company e-mail, the bank account) are in `habilitations/postal/`."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from dsfr.forms import DsfrBaseForm

from companies.identifiers import normalize_company_identifier
from companies.lookup import company_by_identifier
from companies.models import Company
from core.refusals import Refusal
from habilitations.catalogue import (
    ELEMENTARY_SERVICES,
    PAYER,
    SERVICES,
    SERVICES_BY_CODE,
    Menu,
    service_of,
)
from habilitations.choices import RequestKind
from habilitations.postal import actions as postal
from habilitations.postal.adhesion import adhesion_problems
from habilitations.postal.substitution import substitution_problems
from web.company_fields import (
    BANK_FIELDS,
    bank_fields,
    clean_bank,
    clean_company_email,
    company_email_fields,
    general_information_field,
)
from web.refusals import add_to_form, as_validation_error

CONDITIONS = (
    "Je reconnais avoir pris connaissance des conditions générales et les accepte sans restriction."
)


class CompanyIdentifierForm(DsfrBaseForm):
    """*Saisie du numéro S.I.R.E.N. (ou équivalent)*."""

    identifier = forms.CharField(
        label="Entrez le numéro S.I.R.E.N. (ou équivalent)",
        help_text="9 chiffres (les espaces sont ignorés), ou l'identifiant provisoire (IDSP) "
        "attribué par le service gestionnaire.",
        max_length=20,
        error_messages={"required": "Saisissez le numéro SIREN de l'entreprise."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def clean_identifier(self) -> str:
        try:
            identifier = normalize_company_identifier(self.cleaned_data["identifier"])
        except Refusal as refusal:
            raise as_validation_error(refusal) from refusal
        self.company = company_by_identifier(identifier)
        if self.company is None:
            raise as_validation_error(Refusal("company.unknown"))
        return identifier


@dataclass(frozen=True)
class ServiceChoice:
    """One checkbox of the form: a service, or one of Payer's nine (they go together)."""

    value: str
    label: str
    service: str
    available: bool
    reason: str = ""


def _boxes() -> list[tuple[str, str, str]]:
    """(value, label, service) in the catalogue's order, Payer shown as its nine, as on
    the administration's paper form (docs/habilitations.md §6)."""
    boxes = []
    for service in SERVICES:
        if service.code == PAYER:
            boxes += [(e.code, e.label, PAYER) for e in ELEMENTARY_SERVICES if e.service == PAYER]
        else:
            boxes.append((service.code, service.label, service.code))
    return boxes


def service_choices(kind: RequestKind, company: Company, subscriber) -> list[ServiceChoice]:
    """Every service, those the request cannot be about shown but not selectable."""
    titulars = postal.titulars(company)
    choices = []
    for value, label, service in _boxes():
        titular = titulars.get(service)
        if kind == RequestKind.SUBSTITUTION:
            if titular is None:
                reason = "Aucun titulaire : demandez une adhésion"
            elif titular == subscriber:
                reason = "Vous en êtes le titulaire"
            else:
                reason = ""
        elif titular is None:
            reason = ""
        else:
            reason = "Vous en êtes le titulaire" if titular == subscriber else "Déjà géré"
        choices.append(ServiceChoice(value, label, service, available=not reason, reason=reason))
    return choices


GROUP_ORDER = (Menu.MESSAGERIE, Menu.DECLARER, Menu.PAYER, Menu.CONSULTER, Menu.DEMARCHES)


def grouped(choices: list[ServiceChoice]) -> list[tuple[str, list[ServiceChoice]]]:
    """The checkboxes by menu, so that Payer's nine stay together on the page."""
    groups = []
    for menu in GROUP_ORDER:
        members = [c for c in choices if SERVICES_BY_CODE[c.service].menu == menu]
        groups.append((menu.label, members))
    return groups


class ServicesForm(DsfrBaseForm):
    """What adhesion and substitution forms share: the services and the conditions. Every
    mistake is shown at once: the fields' own checks, then the request's rules (the domain's
    `*_problems`) on what could be read."""

    services = forms.MultipleChoiceField(
        label="Service(s) demandé(s)",
        required=False,
        error_messages={
            "invalid_choice": "Le service « %(value)s » ne peut pas faire l'objet de cette demande."
        },
    )
    accept = forms.BooleanField(
        label=CONDITIONS,
        error_messages={"required": "Vous devez accepter les conditions générales pour continuer."},
    )
    # A rule's refusal is not added to a field that already tells of a mistake of its own.
    related_fields: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, choices: list[ServiceChoice], subscriber, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.subscriber, self.company = subscriber, company
        self.fields["services"].choices = [(c.value, c.label) for c in choices if c.available]
        first = next((c for c in choices if c.available), None)
        # The summary of errors leads to the first box of the hand-written group.
        self.error_anchors = {"services": f"service-{first.value}"} if first else {}

    def clean_services(self) -> list[str]:
        """Ticked boxes as services: any of Payer's nine means Payer, as a whole
        (docs/habilitations.md §2)."""
        return list(dict.fromkeys(service_of(value) for value in self.cleaned_data["services"]))

    def add_problems(self, problems_of: Callable[[dict], list[Refusal]]) -> None:
        """The request's rules (`problems_of`, the domain's `*_problems`) once the services could
        be read: each refusal next to its field, unless that field already tells of a mistake
        of its own."""
        cleaned = self.cleaned_data
        if "services" not in cleaned:
            return
        for refusal in problems_of(cleaned):
            related = self.related_fields.get(refusal.field, (refusal.field,))
            if not any(name in self.errors for name in related):
                add_to_form(self, refusal)


class SubstitutionForm(ServicesForm):
    """*Votre formulaire de demande(s) de substitution* (docs/habilitations.md §8)."""

    def clean(self):
        cleaned = super().clean()
        self.add_problems(
            lambda c: substitution_problems(self.subscriber, self.company, c["services"])
        )
        return cleaned


class AdhesionForm(ServicesForm):
    """*Votre formulaire de demande(s) d'adhésion* (docs/habilitations.md §7)."""

    company_email, company_email_confirmation = company_email_fields(required=False).values()
    iban, bic, holder = bank_fields(required=False).values()
    general_information = general_information_field()
    field_order = [  # the page's order, which the summary of errors follows
        "services",
        "company_email",
        "company_email_confirmation",
        *BANK_FIELDS,
        "general_information",
        "accept",
    ]
    related_fields = {
        "company_email": ("company_email", "company_email_confirmation"),
        "iban": BANK_FIELDS,
    }

    def clean(self):
        cleaned = super().clean()
        clean_company_email(self, cleaned)
        clean_bank(self, cleaned)
        self.add_problems(self._problems)
        return cleaned

    def _problems(self, cleaned: dict) -> list[Refusal]:
        return adhesion_problems(
            self.subscriber,
            self.company,
            cleaned["services"],
            company_email=cleaned.get("company_email") or "",
            bank=cleaned.get("bank"),
        )


class ActivationCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code d'activation",
        help_text="Le code de 12 caractères imprimé sur le courrier reçu à l'adresse de "
        "l'entreprise.",
        max_length=40,
        error_messages={"required": "Saisissez le code d'activation reçu par courrier."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
