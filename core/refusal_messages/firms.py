"""The refusals' French messages: delegation requests from firms and groups of dossiers
(docs/habilitations.md §12, §13)."""

from __future__ import annotations

from core.plural import Plural

MESSAGES: dict[str, str | Plural] = {
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
