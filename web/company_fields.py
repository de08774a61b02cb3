"""Form fields about a company — its e-mail and a bank account — shared by the dossier pages,
the adhesion and substitution requests and the simplified mode. The rules are in
`companies.bank` and `habilitations.company_data.email`."""

from django import forms

from companies.bank import (
    BankDetails,
    clean_bic,
    clean_holder,
    clean_iban,
)
from core.refusals import Refusal
from web.fields import NormalizedEmailField
from web.refusals import add_to_form

# Fields required only when the service that needs them is ticked carry no "(Optionnel)".
# The input without the "(Optionnel)" mark: required when the service needing it is ticked.
CONDITIONAL = "partials/conditional_input.html"
BANK_FIELDS = ("iban", "bic", "holder")
EMAILS_DIFFER = "Les deux adresses électroniques sont différentes."


def company_email_fields(required: bool) -> dict[str, forms.Field]:
    template = None if required else CONDITIONAL
    messages = {
        "invalid": "Saisissez une adresse électronique valide (par exemple contact@entreprise.fr).",
        "max_length": "L'adresse électronique ne doit pas dépasser 100 caractères.",
        "required": "Saisissez l'adresse électronique de l'entreprise.",
    }
    return {
        "company_email": NormalizedEmailField(
            label="Adresse électronique de l'entreprise",
            help_text="L'adresse à laquelle l'administration pourra contacter l'entreprise sur "
            "tout sujet la concernant. Un courriel contenant un lien à suivre dans les 72 heures "
            "lui sera envoyé.",
            required=required,
            template_name=template,
            error_messages=messages,
            autocomplete="off",
        ),
        "company_email_confirmation": NormalizedEmailField(
            label="Confirmer l'adresse électronique de l'entreprise",
            required=required,
            template_name=template,
            error_messages={**messages, "required": "Confirmez l'adresse électronique."},
            autocomplete="off",
        ),
    }


def general_information_field() -> forms.TypedChoiceField:
    """*Réception des courriels d'information générale : Oui/Non* (docs/habilitations.md §7)."""
    return forms.TypedChoiceField(
        label="Réception des courriels d'information générale de la part de l'administration",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        initial="non",
        widget=forms.RadioSelect,
        error_messages={"required": "Répondez par oui ou par non."},
    )


def bank_fields(required: bool) -> dict[str, forms.Field]:
    template = None if required else CONDITIONAL
    return {
        "iban": forms.CharField(
            label="IBAN",
            help_text="Compte d'un pays de la zone SEPA, par exemple FR76 3000 6000 0112 3456 "
            "7890 189.",
            max_length=50,
            required=required,
            template_name=template,
            error_messages={"required": "Saisissez l'IBAN du compte."},
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        ),
        "bic": forms.CharField(
            label="BIC",
            help_text="8 ou 11 caractères, par exemple BNPAFRPP.",
            max_length=15,
            required=required,
            template_name=template,
            error_messages={"required": "Saisissez le BIC de la banque."},
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        ),
        "holder": forms.CharField(
            label="Titulaire du compte",
            max_length=70,
            required=required,
            template_name=template,
            error_messages={"required": "Saisissez le nom du titulaire du compte."},
        ),
    }


def clean_company_email(form: forms.Form, cleaned: dict) -> None:
    """Check the company e-mail's confirmation (next to the field)."""
    email = cleaned.get("company_email") or ""
    confirmation = cleaned.get("company_email_confirmation") or ""
    if "company_email" in form.errors or "company_email_confirmation" in form.errors:
        return
    if email != confirmation:
        form.add_error("company_email_confirmation", EMAILS_DIFFER)


def clean_bank(form: forms.Form, cleaned: dict) -> None:
    """Turn the three bank fields into `cleaned["bank"]` (None when all are empty); every
    mistake is shown next to its field at once."""
    cleaned["bank"] = None
    raw = {name: cleaned.get(name) or "" for name in BANK_FIELDS}
    if not any(raw.values()):
        return
    values = {}
    for name, check in zip(BANK_FIELDS, (clean_iban, clean_bic, clean_holder), strict=True):
        if name in form.errors:
            continue
        if not raw[name]:
            form.add_error(name, form.fields[name].error_messages["required"])
            continue
        try:
            values[name] = check(raw[name])
        except Refusal as refusal:
            add_to_form(form, refusal)
    if len(values) == len(BANK_FIELDS):
        cleaned["bank"] = BankDetails(**values)
