"""Delegation requests (docs/habilitations.md §12): the firm asks and follows its requests; the
company's administrators answer them. Thin views over `habilitations.delegation_requests`
(`actions` and `answers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.refusals import Refusal
from habilitations.choices import DelegationRequestState
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.delegation_requests import answers
from habilitations.delegation_requests import queries as request_queries
from habilitations.delegation_requests.states import outcome
from web.current_dossier import make_current
from web.delegation_requests.forms import AnswerForm, DelegationRequestForm
from web.factors.step_up import fresh_factor_redirect, posted_again
from web.guards import dossier_or_403, refuse
from web.identifier_lists import takes_list_file
from web.refusals import add_to_form, add_to_page

if TYPE_CHECKING:
    from habilitations.models import DelegationRequest

PAGE_SIZE = 50
ANSWERED = (
    DelegationRequestState.ACCEPTED,
    DelegationRequestState.PARTLY_ACCEPTED,
    DelegationRequestState.REFUSED,
)
PREVIEW_LIMIT = 100


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class DelegationRequestLine:
    """A delegation request of a list, and its history (when, what)."""

    request: DelegationRequest
    history: list[tuple[datetime, str]]


def _with_history(page) -> list[DelegationRequestLine]:
    return [DelegationRequestLine(req, request_queries.history(req)) for req in page]


@takes_list_file
@require_http_methods(["GET", "POST"])
def new(request):
    """*Demander une délégation*: one company at once, or many after a preview (a CSV file or
    its content pasted; the file is read in memory and forgotten)."""
    form = (
        DelegationRequestForm(request.POST, request.FILES)
        if request.method == "POST"
        else DelegationRequestForm()
    )
    context = {"form": form, "validity_days": settings.DELEGATION_REQUEST_VALIDITY.days}
    if request.method == "POST" and form.is_valid():
        message = form.cleaned_data["message"]
        try:
            if form.single:
                req = delegation_requests.submit(
                    request.user, form.companies[0], form.wanted, message
                )
                messages.success(
                    request,
                    f"Votre demande de délégation est envoyée aux administrateurs de "
                    f"{req.company.name}. Elle attend leur réponse jusqu'au "
                    f"{req.expires_at:%d/%m/%Y}.",
                )
                return redirect("delegation_requests:sent")
            if "confirm" in request.POST:
                result = delegation_requests.submit_many(
                    request.user, form.companies, form.wanted, message
                )
                messages.success(request, _sent_message(result))
                return redirect("delegation_requests:sent")
            plan = delegation_requests.preview(request.user, form.companies, form.wanted)
        except Refusal as refusal:
            if form.single and not refusal.field:
                form.add_error("identifier", refusal.message)
            else:
                add_to_form(form, refusal)
        else:
            context.update(
                {
                    "plan": plan,
                    "asked_preview": plan.asked[:PREVIEW_LIMIT],
                    "refused_count": len(plan.refused) + len(form.lines_refused),
                }
            )
    return render(request, "delegation_requests/new.html", context)


def _sent_message(result) -> str:
    sent = ngettext(
        "{count} demande de délégation envoyée.",
        "{count} demandes de délégation envoyées.",
        len(result.requests),
    ).format(count=len(result.requests))
    if not result.refused:
        return sent
    refused = ngettext(
        "{count} entreprise n'a pas pu être sollicitée.",
        "{count} entreprises n'ont pas pu être sollicitées.",
        len(result.refused),
    ).format(count=len(result.refused))
    return f"{sent} {refused}"


def sent(request):
    """*Suivre vos demandes de délégation*: state and history of each."""
    page = _page(request, request_queries.sent(request.user))
    return render(
        request, "delegation_requests/sent.html", {"page": page, "rows": _with_history(page)}
    )


@require_POST
def withdraw(request, pk: int):
    try:
        req = delegation_requests.withdraw(request.user, pk)
    except Refusal as refusal:
        add_to_page(request, refusal)
    else:
        messages.success(request, f"Votre demande à {req.company.name} est retirée.")
    return redirect("delegation_requests:sent")


def received(request):
    """*Demandes de délégation reçues*, on every company one administers."""
    page = _page(request, request_queries.received(request.user))
    return render(
        request, "delegation_requests/received.html", {"page": page, "rows": _with_history(page)}
    )


def company_received(request, identifier: str):
    """The same, for one dossier (from its *Gérer* menu), with the firms blocked there."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if not rights.may_see_holders():
        refuse(company.identifier, "delegation requests: not an administrator")
    page = _page(request, request_queries.received(request.user, company))
    return render(
        request,
        "delegation_requests/received.html",
        {
            "page": page,
            "rows": _with_history(page),
            "company": company,
            "blocks": request_queries.blocks(request.user, company),
        },
    )


@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    """One request received: accept (all, some, a lower level) or refuse, with a word back."""
    try:
        req, rights = request_queries.received_one(request.user, pk)
    except Refusal:
        raise Http404 from None
    form = AnswerForm(
        request.POST if request.method == "POST" else posted_again(request),
        options=request_queries.options(rights, req),
    )
    if request.method == "POST" and form.is_valid():
        word = form.cleaned_data["answer"]
        if "accept" in request.POST and (
            step_up := fresh_factor_redirect(request, "delegation_request")
        ):
            # Accepting grants rights to a firm: a fresh factor first (docs/security.md §14.4).
            return step_up
        try:
            if "accept" in request.POST:
                done = answers.accept(request.user, pk, form.levels(), word)
            else:
                done = answers.refuse(request.user, pk, word, block="block" in request.POST)
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(
                request,
                f"La demande de {done.requester.display_name} (abonné "
                f"{done.requester.subscriber_number}) est {done.get_state_display().lower()}.",
            )
            return redirect("delegation_requests:answer", pk=pk)
    options = form.options
    return render(
        request,
        "delegation_requests/answer.html",
        {
            "req": req,
            "form": form,
            "history": request_queries.history(req),
            # Once answered, who answered and when (the first answer is final, §12.3).
            "outcome": None if req.is_pending else outcome(req),
            "answered": req.current_state in ANSWERED,
            "answered_by_me": req.answered_by_id == request.user.pk,
            # Services this administrator cannot grant: answering closes them all the same.
            "left_to_others": [o.item for o in options if not o.levels],
        },
    )


@require_POST
def unblock(request, pk: int):
    try:
        block = answers.unblock(request.user, pk)
    except Refusal:
        raise Http404 from None
    messages.success(
        request,
        f"{block.requester.display_name} (abonné {block.requester.subscriber_number}) peut de "
        "nouveau vous adresser des demandes de délégation.",
    )
    return redirect("delegation_requests:company_received", identifier=block.company.identifier)
