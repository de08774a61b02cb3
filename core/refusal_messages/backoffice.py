"""The refusals' French messages: the agents' back office (docs/backoffice.md)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
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
    "factor_reset.same_agent": (
        "La réinitialisation doit être approuvée par un autre agent que le demandeur."
    ),
    "factor_reset.related_agent": (
        "La réinitialisation doit être approuvée par un agent qui n'a pas créé le compte du "
        "demandeur et dont le compte n'a pas été créé par lui."
    ),
    "factor_reset.shared_sponsor": (
        "La réinitialisation doit être approuvée par un agent indépendant du demandeur : votre "
        "compte ou le sien a moins de {days} jours et a été créé, directement ou non, par un "
        "agent qui est aussi à l'origine de l'autre. Un autre superviseur peut l'approuver."
    ),
    "factor_reset.pending": (
        "Une réinitialisation des moyens de connexion de cet espace attend déjà une approbation."
    ),
    "factor_reset.gone": "Cette demande de réinitialisation n'est plus en attente.",
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
}
