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
    # --- a company's requirement of a strong factor (docs/habilitations.md §14) ---------
    "company.strong_factor_required": (
        "Cette entreprise exige une application d'authentification ou une clé d'accès pour le "
        "service Payer et pour désigner d'autres personnes : activez-en une dans Mon espace."
    ),
    "company.strong_factor_not_administrator": (
        "Seuls les administrateurs (titulaires ou suppléants) de l'entreprise peuvent exiger une "
        "authentification forte."
    ),
    "company.strong_factor_own_missing": (
        "Activez d'abord vous-même une application d'authentification ou une clé d'accès dans "
        "Mon espace : cette exigence vous concerne aussi."
    ),
    "company.strong_factor_too_soon": Plural(
        "Choisissez une date à partir du {date} : les personnes concernées doivent avoir au "
        "moins {days} jour pour activer une application d'authentification ou une clé d'accès.",
        "Choisissez une date à partir du {date} : les personnes concernées doivent avoir au "
        "moins {days} jours pour activer une application d'authentification ou une clé d'accès.",
        "days",
    ),
    "company.strong_factor_not_required": "Cette entreprise n'exige pas d'authentification forte.",
}
