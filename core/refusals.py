"""Refusals: the one exception a business rule raises when it says no.

A refusal carries a stable machine-readable `code` (e.g. ``delegation.above_granter``),
the French message shown to the person, and optionally the form field it concerns. Every
code is listed in `CATALOGUE` below, with its default message: the pages show the message,
the API will return the code. Raising a code that is not listed is a programming error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext


@dataclass(frozen=True)
class Plural:
    """A message whose words agree with a number: `count` names the parameter that counts.
    French plural rule (0 and 1 are singular) through the project's catalogue (`locale/`)."""

    singular: str
    plural: str
    count: str = "count"

    def format(self, **params) -> str:
        return ngettext(self.singular, self.plural, params[self.count]).format(**params)


CATALOGUE: dict[str, str | Plural] = {
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
    # --- the agents' back office (docs/backoffice.md): freezes, IDSP, assistance --------
    "space.frozen": (
        "L'accès à cet espace est suspendu. Contactez l'assistance aux usagers des "
        "téléprocédures au 0809 400 210 (du lundi au vendredi, de 8h00 à 19h30)."
    ),
    "space.not_frozen": "Cet espace n'est pas gelé.",
    "space.already_frozen": "Cet espace est déjà gelé.",
    "company.frozen": (
        "Les habilitations et les courriers de cette entreprise sont suspendus. Contactez "
        "l'assistance aux usagers des téléprocédures au 0809 400 210."
    ),
    "company.not_frozen": "Cette entreprise n'est pas gelée.",
    "company.already_frozen": "Cette entreprise est déjà gelée.",
    "company.not_idsp": "Cet identifiant n'est pas un identifiant provisoire (IDSP).",
    "company.siren_in_use": (
        "Ce SIREN est déjà celui d'une entreprise qui a des habilitations ou des demandes : "
        "la conversion est impossible."
    ),
    "company.name_missing": "Saisissez la dénomination.",
    "company.city_missing": "Saisissez la commune.",
    "registration.gone": "Cette pré-inscription n'existe plus.",
    "postal.not_live": "Ce courrier n'a plus de code valable : il n'y a rien à retirer.",
    "postal.not_reissuable": "Seul un courrier dont le code est encore valable peut être réédité.",
    "unfreeze.same_agent": "Le dégel doit être approuvé par un autre agent que le demandeur.",
    "unfreeze.related_agent": (
        "Le dégel doit être approuvé par un agent qui n'a pas créé le compte du demandeur et "
        "dont le compte n'a pas été créé par lui."
    ),
    "unfreeze.shared_sponsor": (
        "Le dégel doit être approuvé par un agent indépendant du demandeur : votre compte ou le "
        "sien a moins de {days} jours et a été créé, directement ou non, par un agent qui est "
        "aussi à l'origine de l'autre. Un autre superviseur peut l'approuver."
    ),
    "unfreeze.pending": "Un dégel de cet espace attend déjà une approbation.",
    "unfreeze.gone": "Cette demande de dégel n'est plus en attente.",
    "agent.wrong_credentials": "Adresse électronique ou mot de passe incorrect.",
    "agent.locked": (
        "Trop de tentatives ont échoué : pour protéger cet accès, réessayez dans quelques minutes."
    ),
    "agent.wrong_otp": "Ce code est incorrect ou a déjà servi.",
    "agent.activation_invalid": (
        "L'adresse électronique ou le code d'activation est incorrect, ou ce code n'est plus "
        "valable : demandez-en un nouveau à un superviseur."
    ),
    "agent.weak_password": "Ce mot de passe ne respecte pas les règles de sécurité.",
    "agent.email_taken": "Un agent a déjà cette adresse électronique.",
    "agent.forbidden": "Votre rôle ne permet pas cette action.",
    "agent.email_domain": (
        "L'adresse électronique d'un agent doit être son adresse professionnelle ({domains})."
    ),
    "agent.email_subaddress": (
        "L'adresse électronique d'un agent ne peut pas contenir « + » : saisissez l'adresse de "
        "sa boîte professionnelle."
    ),
    "agent.wrong_current_password": "Votre mot de passe actuel est incorrect.",
    "agent.not_activated": (
        "Ce compte n'est pas encore activé : renvoyez-lui plutôt un code d'activation."
    ),
    "agent.already_activated": (
        "Ce compte est déjà activé : réinitialisez plutôt son second facteur."
    ),
    "agent.own_account": (
        "Cette action ne peut pas viser votre propre compte : passez par « Mon compte »."
    ),
    "agent.inactive": "Ce compte est désactivé.",
    "agent.reset_code_invalid": (
        "Ce code est incorrect ou n'est plus valable : demandez une nouvelle réinitialisation "
        "à un superviseur."
    ),
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
    # --- habilitations: rights, delegation, postal requests ------------------------------
    "postal.no_service": "Cochez au moins un service.",
    "postal.unknown_service": "Service inconnu : {service}.",
    "postal.already_yours": "Vous êtes déjà administrateur titulaire du service « {service} ».",
    "postal.company_limit": (
        "Cette entreprise a déjà reçu le nombre maximal de courriers d'activation sur {days} "
        "jours. Pour votre sécurité, aucune nouvelle demande ne peut être faite pour elle avant "
        "la fin de cette période ; contactez l'assistance si vous pensez qu'une demande a été "
        "faite à votre insu."
    ),
    "postal.company_busy": (
        "Plusieurs demandes sont déjà en cours pour cette entreprise : attendez qu'elles "
        "aboutissent ou expirent avant d'en faire une nouvelle."
    ),
    "postal.address_limit": (
        "Trop de demandes ont été faites depuis votre connexion Internet aujourd'hui : "
        "réessayez demain."
    ),
    "postal.too_many_requests": (
        "Vous avez déjà fait {count} demandes en 24 heures : réessayez demain."
    ),
    "adhesion.already_managed": (
        "Le service « {service} » est déjà géré pour cette entreprise : l'adhésion n'est "
        "possible que pour un service qu'aucun autre abonné ne gère. Pour le reprendre, faites "
        "une demande de substitution (remplacer le titulaire) ; pour le partager, demandez au "
        "titulaire de vous déléguer ses droits."
    ),
    "adhesion.email_needed": (
        "Le service Messagerie demande l'adresse électronique de l'entreprise : saisissez-la."
    ),
    "adhesion.bank_needed": (
        "Un service Payer demande un compte bancaire, aucun compte actif n'étant connu pour "
        "cette entreprise : saisissez l'IBAN, le BIC et le titulaire du compte."
    ),
    "substitution.no_titular": (
        "Le service « {service} » n'a pas d'administrateur titulaire pour cette entreprise : il "
        "n'y a personne à remplacer. Faites une demande d'adhésion."
    ),
    "postal.link_invalid": "Ce lien n'est pas valable. Vérifiez qu'il a été recopié en entier.",
    "postal.link_expired": (
        "Ce lien n'est plus valable : le délai de {hours} heures pour le suivre est dépassé. La "
        "demande a expiré ; elle doit être faite à nouveau."
    ),
    "postal.link_withdrawn": (
        "Cette demande a été supprimée par son auteur : ce lien ne permet plus rien."
    ),
    "postal.link_closed": "Cette demande n'est plus en cours : ce lien ne permet plus rien.",
    "postal.wrong_code": Plural(
        "Le code d'activation est incorrect. Il vous reste {left} essai.",
        "Le code d'activation est incorrect. Il vous reste {left} essais.",
        count="left",
    ),
    "postal.code_dead": (
        "Le code d'activation a été saisi trop de fois de manière erronée : cette demande est "
        "annulée. Vous pouvez faire une nouvelle demande."
    ),
    "postal.code_expired": (
        "Ce code n'est plus valable : le délai de {days} jours pour l'activer est dépassé. La "
        "demande a expiré ; vous pouvez faire une nouvelle demande."
    ),
    "postal.code_used": "Ce code a déjà été utilisé : la demande est activée.",
    "postal.code_withdrawn": "Cette demande a été supprimée : son code ne permet plus rien.",
    "postal.no_letter_yet": (
        "Le courrier contenant le code n'a pas encore été envoyé : l'adresse électronique de "
        "l'entreprise doit d'abord être confirmée par le lien qui lui a été envoyé."
    ),
    "postal.not_withdrawable": (
        "Cette demande n'est plus en cours : elle ne peut plus être supprimée."
    ),
    "postal.unknown_request": "Cette demande n'existe pas ou n'est pas la vôtre.",
    # --- rights (docs/habilitations.md §2): the invariants held by habilitations.changes
    "habilitation.unknown_service": "Service inconnu.",
    "habilitation.unknown_elementary_service": "Service élémentaire inconnu.",
    "habilitation.one_titular_per_service": (
        "Le service « {service} » a déjà un administrateur titulaire pour cette entreprise."
    ),
    "habilitation.one_deputy_per_service": (
        "Le service « {service} » a déjà un administrateur suppléant pour cette entreprise."
    ),
    "habilitation.payer_admin_not_delegate": (
        "Cet abonné est déjà administrateur du service « Payer » pour cette entreprise."
    ),
    "habilitation.titular_changed_by_substitution_only": (
        "Cet abonné est l'administrateur titulaire de ce service : son rôle ne peut être "
        "changé que par une substitution."
    ),
    "habilitation.conflict": (
        "Cette habilitation n'a pas pu être accordée : elle entre en conflit avec une autre."
    ),
    "habilitation.titular_not_suspended": (
        "L'administrateur titulaire d'un service ne peut être mis en veille."
    ),
    "habilitation.titular_not_removed": (
        "L'administrateur titulaire d'un service ne peut être retiré ainsi."
    ),
    "habilitation.admins_one_service_at_a_time": (
        "Les administrateurs sont désignés un service à la fois."
    ),
    "habilitation.bulk_conflict": (
        "Ces délégations n'ont pas pu être accordées : l'une d'elles entre en conflit avec "
        "une autre habilitation."
    ),
    # --- delegation (docs/habilitations.md §2): who may designate, change, remove whom ---
    "delegation.not_oneself": "Vous ne pouvez pas vous désigner vous-même.",
    "delegation.unknown_service": (
        "Le code « {given} » ne désigne aucun service que l'on puisse déléguer : choisissez-en "
        "un du catalogue."
    ),
    "delegation.above_granter": (
        "Vos habilitations ne vous permettent pas de désigner un {role} sur « {service} »."
    ),
    "delegation.role_not_yours_to_change": (
        "Cet abonné est déjà {role} de « {service} » : vous ne pouvez pas modifier ce rôle."
    ),
    "delegation.no_titular": (
        "La délégation n'est possible que si le client a au préalable adhéré au service "
        "« {service} » : ce service n'a pas d'administrateur titulaire pour cette entreprise."
    ),
    "delegation.already_service_admin": (
        "Cet abonné est déjà {role} du service « {service} » : retirez d'abord ce rôle."
    ),
    "delegation.not_manageable": "Vos habilitations ne vous permettent pas de gérer ce droit.",
    "delegation.titular_cannot_renounce": (
        "L'administrateur titulaire ne peut renoncer à son rôle : un autre abonné peut le "
        "remplacer par une substitution."
    ),
    "delegation.choose_level": "Choisissez le niveau : acteur délégant ou acteur.",
    # --- an administrator's suspension sticks; races on one delegation (docs/habilitations.md §4)
    "delegation.suspended_by_admin": (
        "Cet abonné a une habilitation sur « {service} » mise en veille par un administrateur "
        "de l'entreprise : seul l'administrateur titulaire ou suppléant du service peut la "
        "réactiver, la modifier ou la lui accorder de nouveau."
    ),
    "delegation.suspended_by_admin_not_renounced": (
        "Cette habilitation a été mise en veille par un administrateur de l'entreprise : vous ne "
        "pouvez pas y renoncer. Seul l'administrateur titulaire ou suppléant du service peut la "
        "retirer ou la réactiver."
    ),
    "delegation.gone": (
        "Cette habilitation n'existe plus : elle a été retirée entre-temps. Rechargez la page."
    ),
    "habilitation.gone": "Cette habilitation n'existe plus : elle a été retirée entre-temps.",
    # --- the JSON API (docs/api.md): credentials, scopes, limits, idempotency ----------
    "api.unauthenticated": (
        "Authentification requise : présentez un jeton d'accès valable dans l'en-tête "
        "« Authorization: Bearer … »."
    ),
    "api.token_invalid": (
        "Ce jeton d'accès n'est pas valable : il est inconnu, expiré ou révoqué."
    ),
    "api.scope_missing": "Ce jeton d'accès n'a pas la portée « {scope} » nécessaire.",
    "api.service_clients_only": (
        "Seuls les clients de service (services en ligne) peuvent appeler ce point d'accès."
    ),
    "api.subscribers_only": (
        "Ce point d'accès est réservé aux jetons d'accès personnels des abonnés."
    ),
    "api.not_found": "Cette ressource n'existe pas ou vous n'y avez pas accès.",
    "api.forbidden": "Vos habilitations ne vous permettent pas cette action.",
    "api.unknown_subscriber": "Aucun espace professionnel ne correspond à ce numéro d'abonné.",
    "api.rate_limited": (
        "Trop de requêtes avec ces identifiants : réessayez dans {seconds} secondes."
    ),
    "api.idempotency_key_reused": (
        "Cette clé d'idempotence a déjà servi pour une autre requête : choisissez-en une nouvelle."
    ),
    "api.idempotency_key_invalid": (
        "La clé d'idempotence compte de 1 à 255 caractères imprimables."
    ),
    "api.invalid_cursor": "Ce curseur de pagination n'est pas valable.",
    "api.invalid_request": "La requête est invalide : {detail}",
    "api.batch_too_large": "Une vérification compte au plus {max} demandes.",
    "api.invalid_client": "Identifiant ou secret du client de service incorrect.",
    "api.unsupported_grant_type": "Seul le type « client_credentials » est accepté.",
    "api.token_name_missing": "Donnez un nom à ce jeton (le logiciel qui l'utilisera).",
    "api.token_no_scope": "Cochez au moins une portée.",
    "api.token_expiry_invalid": (
        "La date d'expiration doit être postérieure à aujourd'hui et au plus dans {days} jours."
    ),
    "api.too_many_tokens": (
        "Vous avez déjà {count} jetons actifs : révoquez-en un avant d'en créer un autre."
    ),
    "api.webhook_https_only": "L'adresse doit commencer par « https:// ».",
    "api.webhook_address_refused": (
        "Cette adresse n'est pas acceptée : elle doit désigner un serveur public sur Internet."
    ),
    "api.too_many_webhooks": "Vous avez déjà {count} webhooks : supprimez-en un d'abord.",
    "api.webhook_url_too_long": "L'adresse compte au plus {max} caractères.",
    "api.webhook_url_invalid": (
        "Cette adresse n'est pas une adresse web valable, par exemple "
        "« https://logiciel.example.fr/evenements »."
    ),
    # --- delegation requests from firms (docs/habilitations.md §12) ----------------------
    "delegation_request.no_service": "Choisissez au moins un service et son niveau.",
    "delegation_request.no_administrator": (
        "L'entreprise n'a pas d'administrateur pour le service « {service} » : personne ne peut "
        "encore vous le déléguer. L'entreprise doit d'abord adhérer à ce service : son "
        "représentant, depuis son propre espace professionnel, choisit « Adhérer aux services en "
        "ligne » ; il en devient l'administrateur et pourra accepter votre demande."
    ),
    "delegation_request.no_administrator_at_all": (
        "L'entreprise n'a encore adhéré à aucun service en ligne : personne ne peut vous déléguer "
        "ses services. Son représentant doit d'abord, depuis son propre espace professionnel, "
        "choisir « Adhérer aux services en ligne » ; il pourra ensuite accepter votre demande."
    ),
    "delegation_request.already_held": (
        "Vous détenez déjà ces services à ce niveau (ou plus) pour cette entreprise."
    ),
    "delegation_request.duplicate": (
        "Vous avez déjà une demande en attente pour cette entreprise (envoyée le {date}) : "
        "attendez sa réponse, ou retirez-la pour en faire une autre."
    ),
    "delegation_request.blocked": (
        "Cette entreprise n'accepte plus les demandes de délégation de votre cabinet."
    ),
    # A frozen company and one over its daily limit get the same answer (review finding 6):
    # a firm cannot learn which (the audit keeps the cause).
    "delegation_request.unavailable": (
        "Cette entreprise ne peut pas recevoir de demande de délégation pour le moment : "
        "réessayez plus tard."
    ),
    "delegation_request.too_many_previews": (
        "Vous avez demandé trop d'aperçus de demandes de délégation : réessayez dans {minutes} min."
    ),
    "delegation_request.too_many_refused": (
        "Trop de vos demandes de délégation ont été refusées : réessayez dans {minutes} min."
    ),
    "delegation_request.link_in_message": (
        "Le message ne peut pas contenir de lien ni d'adresse de site (« http:// », « www. », "
        "« exemple.fr »…) : l'entreprise ne peut pas vérifier où il mène. Retirez-le."
    ),
    "delegation_request.phone_in_message": (
        "Le message ne peut pas contenir de numéro de téléphone : l'entreprise ne peut pas "
        "vérifier qui y répond. Retirez-le : l'entreprise répond depuis son espace."
    ),
    "delegation_request.too_many_pending": (
        "Vous ne pouvez pas avoir plus de {limit} demandes de délégation en attente à la fois "
        "(vous pouvez encore en envoyer {left}) : attendez des réponses ou retirez des demandes."
    ),
    "delegation_request.too_many_today": (
        "Vous ne pouvez pas envoyer plus de {limit} demandes de délégation par jour (il vous en "
        "reste {left} aujourd'hui) : envoyez les autres demain."
    ),
    "delegation_request.unknown": "Cette demande n'existe pas ou ne vous est pas adressée.",
    # `outcome`: how it left *pending*, who answered and when (docs/habilitations.md §12.3).
    "delegation_request.closed": (
        "Cette demande n'est plus en attente : elle a été {outcome}. Elle ne peut plus être "
        "acceptée, refusée ni retirée."
    ),
    "delegation_request.expired": (
        "Cette demande a expiré le {date} : elle ne peut plus être acceptée. Le cabinet peut en "
        "faire une nouvelle."
    ),
    "delegation_request.above_asked": (
        "Vous ne pouvez pas accorder plus que le niveau demandé sur « {service} »."
    ),
    "delegation_request.nothing_accepted": (
        "Choisissez au moins un service à accorder, ou refusez la demande."
    ),
    # --- groups of dossiers (docs/habilitations.md §13) ----------------------------------
    "group.name_taken": "Vous avez déjà un groupe nommé « {name} ».",
    "group.unknown": "Ce groupe n'existe pas ou n'est pas le vôtre.",
    "group.not_a_dossier": "Ce SIREN n'est pas l'un de vos dossiers.",
    "group.already_in": "Ce dossier est déjà dans le groupe.",
    "group.already_member": (
        "Cet abonné est déjà membre du groupe : retirez-le pour changer son niveau ou ses services."
    ),
}


class Refusal(Exception):
    """A rule refused an action. `messages` holds one or more French sentences (the first
    is `message`); `field` names the form field they belong to, if any."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        field: str | None = None,
        messages: list[str] | None = None,
        **params,
    ):
        if code not in CATALOGUE:
            raise ValueError(f"unknown refusal code {code!r}: list it in core.refusals.CATALOGUE")
        if messages is None:
            text = message if message is not None else CATALOGUE[code]
            messages = [text.format(**params) if params or isinstance(text, Plural) else text]
        super().__init__(messages[0])
        self.code = code
        self.field = field
        self.messages = list(messages)
        self.params = params

    @property
    def message(self) -> str:
        return self.messages[0]

    def __repr__(self) -> str:
        return f"Refusal({self.code!r}, {self.message!r}, field={self.field!r})"
