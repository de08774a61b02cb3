"""The refusals' French messages: companies (registry, bank accounts, company e-mail)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
    # --- companies: registry, bank accounts, company e-mail ------------------------------
    "company.invalid_identifier": "Numéro SIREN invalide",
    "company.unknown": "Ce SIREN n'est pas connu",
    "bank.invalid_iban": (
        "IBAN invalide : vérifiez sa saisie (par exemple FR76 3000 6000 0112 3456 7890 189)."
    ),
    "bank.not_sepa_iban": (
        "Seuls les comptes d'un pays de la zone SEPA sont acceptés (IBAN du pays {country})."
    ),
    "bank.invalid_bic": "BIC invalide : 8 ou 11 caractères (par exemple BNPAFRPP ou AGRIFRPP882).",
    "bank.not_sepa_bic": (
        "Seules les banques d'un pays de la zone SEPA sont acceptées (BIC du pays {country})."
    ),
    "bank.holder_missing": "Saisissez le nom du titulaire du compte.",
    "bank.already_known": "Ce compte (IBAN) est déjà enregistré pour cette entreprise.",
    "company_email.link_invalid": (
        "Ce lien n'est pas ou plus valable : il a déjà servi, il a expiré (délai de {hours} "
        "heures) ou une adresse plus récente a été demandée. L'administrateur du service "
        "Messagerie peut refaire la demande depuis son espace."
    ),
}
