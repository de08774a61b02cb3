"""Forms of the simplified mode (docs/accounts.md §13) that the expert mode has not: the company,
its e-mail and, when Payer needs one, its bank account. The rules are in `flows/simplified.py`."""

from django import forms
from dsfr.forms import DsfrBaseForm

from core.refusals import Refusal
from habilitations.postal.simplified import check_company
from web.company_fields import (
    bank_fields,
    clean_bank,
    clean_company_email,
    company_email_fields,
    general_information_field,
)
from web.fields import captcha_field
from web.refusals import as_validation_error


class SimplifiedCompanyForm(DsfrBaseForm):
    identifier = forms.CharField(
        label="S.I.R.E.N de votre entreprise (ou équivalent)",
        help_text="L'entreprise pour laquelle vous créez votre espace et dont vous gérerez seul(e) "
        "tous les services en ligne.",
        max_length=20,
        error_messages={"required": "Saisissez le numéro SIREN de votre entreprise."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_identifier(self) -> str:
        try:
            self.company = check_company(self.cleaned_data["identifier"])
        except Refusal as refusal:
            raise as_validation_error(refusal) from refusal
        return self.company.identifier


class CompanyContactForm(DsfrBaseForm):
    """The company e-mail (it receives the 72-hour link) and, if asked, the bank account."""

    company_email, company_email_confirmation = company_email_fields(required=True).values()
    iban, bic, holder = bank_fields(required=True).values()
    general_information = general_information_field()

    def __init__(self, *args, needs_bank: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_bank = needs_bank
        if not needs_bank:
            for name in ("iban", "bic", "holder"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        clean_company_email(self, cleaned)
        if self.needs_bank:
            clean_bank(self, cleaned)
        else:
            cleaned["bank"] = None
        return cleaned


class RecapForm(DsfrBaseForm):
    """*Confirmer*: a person, not a script, asks for a letter to the company (docs/security.md
    §13): the creation is anonymous, so it carries a CAPTCHA."""

    captcha = captcha_field()
