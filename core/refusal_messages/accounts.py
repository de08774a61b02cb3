"""The refusals' French messages: generic, accounts (spaces, registration, activation, passwords,
identifiers; docs/accounts.md) and person names (docs/accounts.md §14)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
    # --- generic -----------------------------------------------------------------------
    "generic.invalid": "La saisie est invalide.",
    # --- accounts: spaces, registration, activation, passwords, identifiers ------------
    "registration.email_taken": "Cette adresse électronique est déjà associée à un espace",
    "registration.pending": (
        "Une création d'espace est déjà en cours pour cette adresse électronique : saisissez le "
        "code d'activation reçu par courriel dans « Activer mon espace / mes services » avant le "
        "{date}. Passé ce délai, vous pourrez recommencer la création."
    ),
    "registration.pending_letter": (
        "Une création d'espace en mode simplifié est déjà en cours pour cette adresse "
        "électronique : l'espace sera activé avec le code du courrier envoyé à l'entreprise, dans "
        "« Activer mon espace / mes services »."
    ),
    "registration.too_many_checks": (
        "Trop d'adresses électroniques ont été vérifiées depuis votre connexion Internet : "
        "réessayez dans une heure."
    ),
    "registration.weak_password": "Ce mot de passe ne respecte pas les règles de sécurité.",
    "registration.all_services_managed": (
        "Tous les services en ligne de cette entreprise sont déjà gérés par d'autres abonnés : le "
        "mode simplifié ne vous en donnerait aucun. Créez plutôt votre espace en mode expert : "
        "vous pourrez ensuite demander une substitution (remplacer le titulaire) ou demander à "
        "leur titulaire de vous les déléguer."
    ),
    "registration.company_email_needed": "Saisissez l'adresse électronique de l'entreprise.",
    "registration.bank_needed": (
        "Un service Payer demande un compte bancaire, aucun compte actif n'étant connu pour "
        "cette entreprise : saisissez l'IBAN, le BIC et le titulaire du compte."
    ),
    "activation.wrong_code": "L'adresse électronique ou le code d'activation est incorrect.",
    "activation.expired": (
        "Ce code d'activation n'est plus valable : le délai de {hours} heures est dépassé. "
        "Recommencez la création de votre espace."
    ),
    "activation.dead": (
        "Ce code d'activation a été saisi trop de fois de manière erronée : il n'est plus "
        "valable. Vous pourrez recommencer la création de votre espace après le {date}."
    ),
    "activation.wrong_password": (
        "Pour un espace créé en mode simplifié, saisissez aussi le mot de passe que vous avez "
        "choisi : l'adresse électronique, le code ou le mot de passe est incorrect."
    ),
    "login.locked": (
        "Trop de tentatives ont échoué : pour protéger cet espace, réessayez dans quelques minutes."
    ),
    "activation.locked": (
        "Trop de tentatives ont échoué : pour protéger cet espace, réessayez dans quelques minutes."
    ),
    # A letter's code is recognised on *Activer mon espace* only within the tries a letter has on
    # its own page (docs/accounts.md §5.4); the letter itself stays alive (security §5.3).
    "activation.letter_locked": (
        "Le code d'activation a été saisi trop de fois de manière erronée avec cette adresse "
        "électronique : réessayez après le {date}. Le code d'un courrier se saisit aussi sur sa "
        "propre page : « Activer mes services » une fois connecté(e) pour une adhésion ou une "
        "substitution, « J'ai reçu mon code par courrier » pour un espace créé en mode simplifié."
    ),
    "email_change.same_email": "Cette adresse électronique est déjà celle de votre espace.",
    "email_change.wrong_code": "Le code de confirmation est incorrect.",
    "email_change.no_code": (
        "Ce code n'est plus valable (il a expiré ou il a été saisi trop de fois de manière "
        "erronée). Recommencez la modification de votre adresse électronique."
    ),
    "email_change.email_taken": "Cette adresse électronique est déjà associée à un espace",
    "password_renewal.wrong_credentials": (
        "L'adresse électronique ou l'ancien mot de passe est incorrect."
    ),
    "password_renewal.weak_password": "Ce mot de passe ne respecte pas les règles de sécurité.",
    "password_reset.link_invalid": (
        "Ce lien de réinitialisation n'est pas ou plus valable : il a déjà servi, il a expiré, "
        "ou un lien plus récent a été demandé. Recommencez la procédure « Mot de passe oublié »."
    ),
    "password_reset.weak_password": "Ce mot de passe ne respecte pas les règles de sécurité.",
    # --- second factors (docs/security.md §14): accounts.factors ---------------------------
    "factor.wrong_code": "Le code est incorrect.",
    "factor.no_code": (
        "Ce code n'est plus valable (il a expiré, il a déjà servi ou il a été saisi trop de fois "
        "de manière erronée) : demandez un nouveau code."
    ),
    "factor.too_many_tries": (
        "Trop de codes erronés ont été saisis pour votre espace : réessayez dans {minutes} minutes."
    ),
    "factor.too_many_sends": (
        "Trop de codes vous ont été envoyés : réessayez dans {minutes} minutes."
    ),
    "factor.same_email": (
        "L'adresse de secours doit être différente de votre adresse électronique de connexion."
    ),
    "factor.no_app": "Aucune application d'authentification n'est enregistrée.",
    "factor.passkey_failed": (
        "La clé d'accès n'a pas pu être vérifiée : réessayez, ou utilisez un autre moyen."
    ),
    "factor.passkey_unknown": (
        "Cette clé d'accès n'est pas (ou plus) enregistrée dans un espace professionnel."
    ),
    "factor.passkey_expired": ("La vérification de la clé d'accès a expiré : recommencez."),
    "factor.passkey_name_missing": "Donnez un nom à cette clé d'accès.",
    # --- person names (docs/accounts.md §14): accounts.names --------------------------------
    "name.last_name_missing": "Le nom est obligatoire.",
    "name.first_name_missing": "Le prénom est obligatoire.",
    "name.last_name_too_long": "Le nom compte au plus {max_length} caractères.",
    "name.first_name_too_long": "Le prénom compte au plus {max_length} caractères.",
    "name.last_name_invalid": (
        "Le nom ne peut contenir que des lettres, des espaces, des traits d'union, des "
        "apostrophes et des points ; il commence par une lettre, sans chiffre ni symbole, et "
        "sans deux espaces, traits d'union ou apostrophes à la suite."
    ),
    "name.first_name_invalid": (
        "Le prénom ne peut contenir que des lettres, des espaces, des traits d'union, des "
        "apostrophes et des points ; il commence par une lettre, sans chiffre ni symbole, et "
        "sans deux espaces, traits d'union ou apostrophes à la suite."
    ),
}
