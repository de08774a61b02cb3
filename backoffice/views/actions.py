"""Every agent action (docs/backoffice.md §4 to §7): a page that says what it does and asks for
the reason, then the domain function, run with the agent and the reason in `core.context` (the
audit events it writes, in its transaction, name them). Declared once each in ACTIONS."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import assistance, space_access
from accounts.models import PendingRegistration
from accounts.queries import subscriber_by_number
from audit.models import Action
from audit.trail import record
from backoffice import account, agent_accounts, factor_reset, roles, unfreeze
from backoffice.forms import ReasonForm
from backoffice.guards import acting_agent, agent_view
from backoffice.models import Agent, FactorResetRequest, UnfreezeRequest
from backoffice.views.pages import flash
from companies.lookup import company_by_identifier
from core import clock
from core.dates import date_time, short_date
from core.refusals import Refusal
from habilitations.company_data.freeze import freeze_company, unfreeze_company
from habilitations.postal import assistance as postal_assistance
from habilitations.postal.queries import postal_request


@dataclass(frozen=True)
class Spec:
    title: str
    explanation: str
    predicate: Callable
    # The object the URL's key names, and the page to go back to.
    load: Callable[[str], object | None]
    back: Callable[[object], str]
    run: Callable[[object, object], str]  # (object, agent) -> what the agent is told
    danger: bool = False
    # The object in words (names and labels, never a key or a code).
    describe: Callable[[object], str] = str


def _pending(key):
    return PendingRegistration.objects.filter(pk=key).first()


def _unfreeze(key):
    return (
        UnfreezeRequest.objects.select_related("subscriber", "requested_by").filter(pk=key).first()
    )


def _factor_reset(key):
    return (
        FactorResetRequest.objects.select_related("subscriber", "requested_by")
        .filter(pk=key)
        .first()
        if key.isdigit()
        else None
    )


def _agent(key):
    return Agent.objects.filter(pk=key).first() if key.isdigit() else None


def _describe_request(req) -> str:
    """« Adhésion de M. Jean DUPONT (20…) du 02/03/2026 — SARL X (123456789) — Déclarer TVA —
    Courrier envoyé le … »."""
    by = f" de {req.requester}" if req.requester else ""
    return (
        f"{req.get_kind_display()}{by} du {short_date(req.created_at)} — {req.company} — "
        f"{', '.join(req.service_labels)} — {req.status_text(clock.now())}"
    )


def _describe_unfreeze(row) -> str:
    return (
        f"Dégel de l'espace de {row.subscriber}, demandé par {row.requested_by.full_name} le "
        f"{date_time(row.requested_at)} : {row.reason}"
    )


def _describe_factor_reset(row) -> str:
    return (
        f"Réinitialisation des moyens de connexion de {row.subscriber}, demandée par "
        f"{row.requested_by.full_name} le {date_time(row.requested_at)} : {row.reason}"
    )


def _agents_page(agent):
    return reverse("backoffice:agents")


def _space_page(space):
    return reverse("backoffice:subscriber", args=[space.subscriber_number])


def _company_page(company):
    return reverse("backoffice:company", args=[company.identifier])


def _pending_page(pending):
    return f"{reverse('backoffice:find_subscribers')}?q={pending.email}"


def _request_unfreeze(space, agent) -> str:
    unfreeze.request_unfreeze(space, agent)
    return "Le dégel est demandé : un autre agent (supervision) doit l'approuver."


def _approve_unfreeze(request_row, agent) -> str:
    unfreeze.approve_unfreeze(request_row.pk, agent)
    return "L'espace est dégelé ; son titulaire en est informé par courriel."


def _reset_factors(space, agent) -> str:
    if factor_reset.reset_or_request(space, agent):
        return (
            f"Les moyens de connexion de {space} sont réinitialisés : la personne en est "
            "informée par courriel."
        )
    return (
        "La réinitialisation est demandée : cet espace administre de nombreuses entreprises, "
        "un second agent (supervision) doit l'approuver."
    )


def _approve_factor_reset(row, agent) -> str:
    factor_reset.approve(row.pk, agent)
    return (
        f"Les moyens de connexion de {row.subscriber} sont réinitialisés : la personne en est "
        "informée par courriel."
    )


def _reset_second_factor(target, agent) -> str:
    account.reset_second_factor(target, agent)
    return (
        f"Le second facteur de {target.full_name} est réinitialisé : un code lui est envoyé "
        f"par courriel ({target.email})."
    )


def _resend_agent_activation(target, agent) -> str:
    agent_accounts.resend_activation(target)
    return f"Un nouveau code d'activation est envoyé par courriel à {target.email}."


ACTIONS: dict[str, Spec] = {
    "unlock": Spec(
        "Lever le verrouillage de connexion",
        "Les tentatives échouées de cette adresse électronique sont oubliées, depuis toute "
        "connexion Internet : la personne peut se connecter de nouveau.",
        roles.may_assist,
        subscriber_by_number,
        _space_page,
        lambda space, agent: (
            assistance.unlock_login(space.email) or "Le verrouillage de connexion est levé."
        ),
    ),
    "end_access": Spec(
        "Fermer toutes les sessions et tous les jetons",
        "Toutes les sessions ouvertes de cet espace sont fermées et ses jetons d'accès "
        "révoqués ; la personne devra se reconnecter.",
        roles.may_assist,
        subscriber_by_number,
        _space_page,
        lambda space, agent: (
            space_access.end_access(space) or "Les sessions et les jetons de l'espace sont fermés."
        ),
        danger=True,
    ),
    "freeze_space": Spec(
        "Geler l'espace",
        "Effet immédiat : les droits de l'espace sont suspendus, ses sessions et jetons "
        "fermés, ses connexions refusées avec le contact de l'assistance. Son titulaire est "
        "informé par courriel. Le dégel demandera l'approbation d'un second agent.",
        roles.may_freeze,
        subscriber_by_number,
        _space_page,
        lambda space, agent: space_access.freeze(space) and "L'espace est gelé.",
        danger=True,
    ),
    "request_unfreeze": Spec(
        "Demander le dégel de l'espace",
        "Un second agent (supervision) devra approuver ce dégel.",
        roles.may_freeze,
        subscriber_by_number,
        _space_page,
        _request_unfreeze,
    ),
    "approve_unfreeze": Spec(
        "Approuver le dégel de l'espace",
        "L'espace retrouve ses droits et ses connexions ; son titulaire en est informé.",
        roles.may_approve_unfreeze,
        _unfreeze,
        lambda row: _space_page(row.subscriber),
        _approve_unfreeze,
        describe=_describe_unfreeze,
    ),
    "reset_factors": Spec(
        "Réinitialiser les moyens de connexion",
        "Pour une personne qui a perdu ses moyens de connexion. Tous sont supprimés sauf le "
        "code envoyé par courriel (application d'authentification, clés d'accès, codes de "
        "secours, adresse de secours) ; ses navigateurs mémorisés sont oubliés et ses sessions "
        "fermées ; elle en est informée par courriel. À sa prochaine connexion, un code lui "
        "sera envoyé par courriel à son adresse de connexion, et elle sera invitée à enregistrer "
        "de nouveau une application ou une clé d'accès. Si l'espace est administrateur de plus "
        f"de {settings.FACTOR_RESET_FOUR_EYES_COMPANIES} entreprises, la réinitialisation est "
        "seulement demandée : un second agent (supervision) doit l'approuver.",
        roles.may_reset_factors,
        subscriber_by_number,
        _space_page,
        _reset_factors,
        danger=True,
    ),
    "approve_factor_reset": Spec(
        "Approuver la réinitialisation des moyens de connexion",
        "Tous les moyens de connexion de la personne sont supprimés sauf le code envoyé par "
        "courriel ; ses navigateurs mémorisés sont oubliés et ses sessions fermées ; elle en est "
        "informée par courriel.",
        roles.may_approve_factor_reset,
        _factor_reset,
        lambda row: _space_page(row.subscriber),
        _approve_factor_reset,
        danger=True,
        describe=_describe_factor_reset,
    ),
    "reset_second_factor": Spec(
        "Réinitialiser le second facteur",
        "L'application d'authentification et les codes de secours de cet agent ne serviront "
        "plus et ses sessions seront fermées. Un code lui sera envoyé par courriel, à son "
        "adresse : à sa prochaine connexion, avec son mot de passe, il lui permettra "
        "d'enregistrer une nouvelle application. Ce code n'est affiché à personne.",
        roles.may_manage_agents,
        _agent,
        _agents_page,
        _reset_second_factor,
        danger=True,
    ),
    "resend_agent_activation": Spec(
        "Renvoyer le code d'activation",
        "Un nouveau code d'activation est envoyé par courriel à l'adresse de l'agent ; l'ancien "
        "ne fonctionne plus. Ce code n'est affiché à personne.",
        roles.may_manage_agents,
        _agent,
        _agents_page,
        _resend_agent_activation,
    ),
    "resend_activation": Spec(
        "Renvoyer le code d'activation",
        "Un nouveau code est envoyé par courriel, valable 48 heures ; l'ancien ne fonctionne plus.",
        roles.may_assist,
        _pending,
        _pending_page,
        lambda pending, agent: (
            assistance.resend_activation(pending.pk) and "Un nouveau code d'activation est envoyé."
        ),
    ),
    "cancel_registration": Spec(
        "Annuler la pré-inscription",
        "La pré-inscription et son code disparaissent ; l'adresse électronique est de nouveau "
        "libre.",
        roles.may_assist,
        _pending,
        _pending_page,
        lambda pending, agent: (
            assistance.cancel_registration(pending.pk) and "La pré-inscription est annulée."
        ),
        danger=True,
    ),
    "withdraw_code": Spec(
        "Retirer le code du courrier",
        "Pour un courrier que l'entreprise n'a pas demandé : la demande est annulée, son code ne "
        "fonctionne plus, et son auteur en est informé par courriel.",
        roles.may_manage_letters,
        postal_request,
        lambda req: _company_page(req.company),
        lambda req, agent: (
            postal_assistance.withdraw_code(req.pk) and "Le code du courrier est retiré."
        ),
        danger=True,
        describe=_describe_request,
    ),
    "reissue_letter": Spec(
        "Rééditer le courrier",
        "Un nouveau courrier part à l'adresse fiscale actuelle de l'entreprise, avec un nouveau "
        "code valable 60 jours ; le code de l'ancien courrier ne fonctionne plus.",
        roles.may_manage_letters,
        postal_request,
        lambda req: _company_page(req.company),
        lambda req, agent: postal_assistance.reissue_letter(req.pk) and "Le courrier est réédité.",
        describe=_describe_request,
    ),
    "freeze_company": Spec(
        "Geler l'entreprise",
        "Effet immédiat : aucune habilitation de l'entreprise ne peut plus changer et aucun "
        "courrier ne lui est plus envoyé. Ses administrateurs et son adresse électronique sont "
        "informés.",
        roles.may_freeze,
        company_by_identifier,
        _company_page,
        lambda company, agent: freeze_company(company) and "L'entreprise est gelée.",
        danger=True,
    ),
    "unfreeze_company": Spec(
        "Dégeler l'entreprise",
        "Les habilitations et les courriers de l'entreprise reprennent ; ses administrateurs "
        "sont informés.",
        roles.may_freeze,
        company_by_identifier,
        _company_page,
        lambda company, agent: unfreeze_company(company) and "L'entreprise est dégelée.",
    ),
}


@require_http_methods(["GET", "POST"])
def action(request, name: str, key: str):
    """One page for every action of ACTIONS: the object, the explanation, the reason."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    return agent_view(spec.predicate)(_run)(request, name, spec, key)


def _run(request, name: str, spec: Spec, key: str):
    target = spec.load(key)
    if target is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agent = request.agent
        reason, ticket = form.cleaned_data["reason"], form.cleaned_data["ticket"]
        try:
            with acting_agent(agent, reason, ticket), transaction.atomic():
                told = spec.run(target, agent)
        except Refusal as refusal:
            # The action's transaction is rolled back: the refusal is written after it.
            with acting_agent(agent, reason, ticket):
                record(
                    Action.AGENT_ACTION_REFUSED,
                    target=request.path[:200],
                    agent_action=name,
                    refusal=refusal.code,
                )
            form.add_error(None, refusal.message)
        else:
            flash(request, told)
            return redirect(spec.back(target))
    return render(
        request,
        "backoffice/action.html",
        {
            "spec": spec,
            "form": form,
            "target": spec.describe(target),
            "back": spec.back(target),
            "agent": request.agent,
        },
    )


action.login_required = False  # guarded by agent_view, per action (`_run`)
action.agent_guarded = True
