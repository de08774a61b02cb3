"""The refusals' French messages: habilitations (postal requests, rights, delegation;
docs/habilitations.md)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
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
    # --- rights (docs/habilitations.md §2): the invariants held by habilitations.rights.actions
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
}
