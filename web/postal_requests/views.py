"""Pages of the services obtained by postal letter (docs/habilitations.md §7, §8): *Adhérer aux
services en ligne*, *Gérer vos substitutions*, *Suivre*, *Supprimer un formulaire*, *Activer mes
services*, and the company e-mail's link. Thin views over `habilitations/postal/`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from companies.lookup import company_by_identifier
from core import clock
from core.dates import short_date
from core.refusals import Refusal
from habilitations.catalogue import MESSAGERIE, PAYER
from habilitations.choices import RequestKind, RequestState
from habilitations.postal import actions as postal
from habilitations.postal.activation import activate_services
from habilitations.postal.adhesion import needs_bank_account, submit_adhesion
from habilitations.postal.queries import open_requests_of, postal_request, requests_of
from habilitations.postal.substitution import submit_substitution
from web.current_dossier import show_company
from web.guards import refuse
from web.links import token_link
from web.postal_requests.forms import (
    ActivationCodeForm,
    AdhesionForm,
    CompanyIdentifierForm,
    SubstitutionForm,
    grouped,
    service_choices,
)
from web.refusals import add_to_form

if TYPE_CHECKING:
    from habilitations.models import PostalRequest

PAGES = {
    RequestKind.ADHESION: {
        "kind": "adhesion",
        "menu": "Vos adhésions",
        "start_title": "Effectuer une demande d'adhésion",
        "form_title": "Votre formulaire de demande(s) d'adhésion",
        "follow_title": "Suivre vos adhésions",
        "submit": "Confirmer et valider la demande d'adhésion",
        "kinds": (RequestKind.ADHESION, RequestKind.SIMPLIFIED),
    },
    RequestKind.SUBSTITUTION: {
        "kind": "substitution",
        "menu": "Vos substitutions",
        "start_title": "Effectuer une demande de substitution",
        "form_title": "Votre formulaire de demande(s) de substitution",
        "follow_title": "Suivre vos substitutions",
        "submit": "Confirmer et valider la demande de substitution",
        "kinds": (RequestKind.SUBSTITUTION,),
    },
}


def _own_request(request, pk: int) -> PostalRequest:
    """The subscriber's own request, or a 403 (audited): a request is its requester's alone."""
    req = postal_request(pk)
    if req is None or req.requester_id != request.user.pk:
        refuse(req.company.identifier if req else "", "not the requester", request_id=pk)
    return req


@require_http_methods(["GET", "POST"])
def start(request, kind: RequestKind):
    """*Effectuer une demande*: the SIREN (or IDSP) of the company."""
    posted = request.POST if request.method == "POST" and "clear" not in request.POST else None
    form = CompanyIdentifierForm(posted)  # *Effacer*: the same page, empty
    if posted is not None and form.is_valid():
        return redirect(f"postal_requests:{kind}_form", identifier=form.company.identifier)
    return render(request, "postal_requests/start.html", {"page": PAGES[kind], "form": form})


@require_http_methods(["GET", "POST"])
def request_form(request, kind: RequestKind, identifier: str):
    """The form of docs/habilitations.md §7 / §7: who asks, for which company, which services."""
    company = company_by_identifier(identifier)
    if company is None:
        return redirect(f"postal_requests:{kind}")
    if request.method == "POST" and "previous" in request.POST:
        return redirect(f"postal_requests:{kind}")
    show_company(request, company)  # the band names the company being asked for
    choices = service_choices(kind, company, request.user)
    form_class = AdhesionForm if kind == RequestKind.ADHESION else SubstitutionForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        choices=choices,
        subscriber=request.user,
        company=company,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == RequestKind.ADHESION:
                req = submit_adhesion(
                    request.user,
                    company,
                    data["services"],
                    company_email=data["company_email"],
                    general_information=data["general_information"],
                    bank=data["bank"],
                    link_for=token_link("postal_requests:company_email_link"),
                )
            else:
                req = submit_substitution(request.user, company, data["services"])
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            return redirect("postal_requests:detail", pk=req.pk)
    free = [c for c in choices if c.available]
    return render(
        request,
        "postal_requests/form.html",
        {
            "page": PAGES[kind],
            "company": company,
            "subscriber": request.user,
            "form": form,
            "choices": choices,
            "groups": grouped(choices),
            "ticked": set(form["services"].value() or []),
            "any_available": bool(free),
            "messagerie_available": any(c.service == MESSAGERIE for c in free),
            "needs_bank": kind == RequestKind.ADHESION
            and any(c.service == PAYER for c in free)
            and needs_bank_account(company, [PAYER]),
        },
    )


class FollowedRequest(NamedTuple):
    """A line of *Suivre vos adhésions / substitutions*."""

    request: PostalRequest
    status_text: str
    withdrawable: bool


@dataclass(frozen=True)
class WaitingCode:
    """A request of *Activer mes services* whose letter is sent: its code's form."""

    request: PostalRequest
    form: ActivationCodeForm
    status_text: str


@dataclass(frozen=True)
class WaitingEmail:
    """A request of *Activer mes services* waiting for the company's address to be confirmed."""

    request: PostalRequest
    status_text: str


def follow(request, kind: RequestKind):
    """*Suivre vos adhésions / substitutions*: every request and its state."""
    page = PAGES[kind]
    requests = requests_of(request.user, page["kinds"])
    now = clock.now()
    rows = [
        FollowedRequest(req, req.status_text(now), req.can_be_withdrawn(now)) for req in requests
    ]
    if "a-supprimer" in request.GET:
        rows = [row for row in rows if row.withdrawable]
    return render(
        request,
        "postal_requests/follow.html",
        {"page": page, "rows": rows, "withdrawing": "a-supprimer" in request.GET},
    )


def detail(request, pk: int):
    """One request: what happens next and when, or how it ended."""
    req = _own_request(request, pk)
    show_company(request, req.company)
    now = clock.now()
    return render(
        request,
        "postal_requests/detail.html",
        {
            "req": req,
            "page": PAGES[
                RequestKind.SUBSTITUTION
                if req.kind == RequestKind.SUBSTITUTION
                else RequestKind.ADHESION
            ],
            "status": req.status(now),
            "status_text": req.status_text(now),
            "withdrawable": req.can_be_withdrawn(now),
            "link_hours": postal.link_hours(),
            "code_days": postal.code_days(),
        },
    )


@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    """*Supprimer un formulaire*: confirm, then withdraw."""
    req = _own_request(request, pk)
    error = None
    if request.method == "POST":
        try:
            postal.withdraw(req.pk, request.user)
        except Refusal as refusal:
            error = refusal.message
        else:
            return redirect("postal_requests:detail", pk=req.pk)
    return render(
        request,
        "postal_requests/withdraw.html",
        {"req": req, "error": error, "status_text": req.status_text(clock.now())},
    )


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def activate(request):
    """*Activer mes services*: the code of the letter, for one of one's requests."""
    bound = None
    if request.method == "POST":
        req = _own_request(request, _int(request.POST.get("request")))
        bound = (req.pk, ActivationCodeForm(request.POST, prefix=f"r{req.pk}"))
        if bound[1].is_valid():
            try:
                activate_services(request.user, req.pk, bound[1].cleaned_data["code"])
            except Refusal as refusal:
                add_to_form(bound[1], refusal)
            else:
                return redirect("postal_requests:detail", pk=req.pk)
    now = clock.now()
    open_requests = [req for req in open_requests_of(request.user) if not req.is_expired(now)]
    waiting_code = [
        WaitingCode(
            req,
            bound[1] if bound and bound[0] == req.pk else ActivationCodeForm(prefix=f"r{req.pk}"),
            req.status_text(now),
        )
        for req in open_requests
        if req.state == RequestState.LETTER_SENT
    ]
    waiting_email = [
        WaitingEmail(req, req.status_text(now))
        for req in open_requests
        if req.state == RequestState.AWAITING_EMAIL
    ]
    if bound and not any(waiting.request.pk == bound[0] for waiting in waiting_code):
        # The request the code was for is no longer open (blocked, expired): say why.
        closed = postal_request(bound[0])
        waiting_code.append(WaitingCode(closed, bound[1], closed.status_text(now)))
    return render(
        request,
        "postal_requests/activate.html",
        {"waiting_code": waiting_code, "waiting_email": waiting_email},
    )


def _int(value) -> int:
    """A number written in at most 18 ASCII digits, else 0 (docs/companies.md §1.5: `int()`
    would also read the digits of other scripts, and refuses more than 4,300 digits)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return 0


@login_not_required
@require_http_methods(["GET", "POST"])
def company_email_link(request, link_id: str, token: str):
    """The link sent to the company e-mail (no login needed): opening it shows a button, so
    that mail scanners confirm nothing; confirming sends the letter."""
    context = {"title": "Confirmer l'adresse électronique de l'entreprise"}
    try:
        if request.method == "POST":
            req, already = postal.confirm_link(link_id, token)
        else:
            req, already = postal.check_link(link_id, token)
    except Refusal as refusal:
        context["error"] = refusal.message
        return render(request, "dossiers/link_confirm.html", context, status=400)
    company = req.company
    letter = (
        "Le courrier contenant le code d'activation a été envoyé le "
        f"{short_date(req.letter_sent_at)} "
        f"par voie postale à l'adresse fiscale de l'entreprise {company.name}."
        if req.letter_sent_at
        else ""
    )
    if request.method == "POST" or already:
        context["done"] = (
            f"L'adresse électronique {req.company_email} de l'entreprise {company.name} est "
            "confirmée."
        )
        context["done_more"] = [letter]
    else:
        name, _ = postal.requester_identity(req)
        context["question"] = (
            f"{name} a indiqué {req.company_email} comme adresse électronique de l'entreprise "
            f"{company.name} (SIREN ou équivalent {company.identifier}). Confirmez-vous que "
            "c'est bien l'adresse de l'entreprise ?"
        )
        context["question_more"] = [
            "Une fois l'adresse confirmée, un courrier contenant un code d'activation sera "
            "envoyé par voie postale à l'adresse fiscale de l'entreprise."
        ]
        context["button"] = "Confirmer l'adresse électronique"
    return render(request, "dossiers/link_confirm.html", context)
