"""The agents' home, look-ups and the subscriber's and company's pages (docs/backoffice.md §3)."""

from django.http import Http404
from django.shortcuts import render

from accounts.queries import subscriber_by_number
from backoffice import factor_reset, four_eyes, lookups, roles
from backoffice.guards import agent_view
from backoffice.models import UnfreezeRequest
from companies.lookup import company_by_identifier


def pop_flash(request) -> str:
    return request.session.pop("bo_flash", "")


def flash(request, text: str) -> None:
    request.session["bo_flash"] = text


def _render(request, template: str, context: dict):
    agent = request.agent
    context = {
        "agent": agent,
        "can": {
            name: getattr(roles, f"may_{name}")(agent)
            for name in (
                "assist",
                "manage_letters",
                "manage_companies",
                "freeze",
                "approve_unfreeze",
                "reset_factors",
                "approve_factor_reset",
                "manage_agents",
                "read_trail",
                "handle_messages",
                "supervise_messages",
            )
        },
        "flash": pop_flash(request),
        **context,
    }
    return render(request, template, context)


@agent_view(roles.may_look_up)
def home(request):
    pending = []
    if roles.may_approve_unfreeze(request.agent):
        pending = list(
            UnfreezeRequest.objects.filter(approved_at=None)
            .select_related("subscriber", "requested_by")
            .order_by("requested_at")[:50]
        )
        for row in pending:
            # Said in advance: whom this agent may not be the second pair of eyes for.
            row.refusal = four_eyes.approval_refusal(row.requested_by, request.agent)
    return _render(request, "backoffice/home.html", {"unfreezes": pending})


@agent_view(roles.may_look_up)
def find_subscribers(request):
    query = request.GET.get("q", "")
    return _render(
        request,
        "backoffice/subscribers.html",
        {"q": query, "results": lookups.find_subscribers(query)},
    )


@agent_view(roles.may_look_up)
def find_companies(request):
    query = request.GET.get("q", "")
    return _render(
        request,
        "backoffice/companies.html",
        {"q": query, "results": lookups.find_companies(query)},
    )


@agent_view(roles.may_look_up)
def subscriber(request, number: str):
    space = subscriber_by_number(number)
    if space is None:
        raise Http404
    unfreeze = (
        UnfreezeRequest.objects.filter(subscriber=space, approved_at=None)
        .select_related("requested_by")
        .first()
    )
    refusal = unfreeze and four_eyes.approval_refusal(unfreeze.requested_by, request.agent)
    reset = factor_reset.pending(space)
    reset_refusal = reset and four_eyes.approval_refusal(
        reset.requested_by, request.agent, what=factor_reset.WHAT
    )
    return _render(
        request,
        "backoffice/subscriber.html",
        {
            **lookups.subscriber_page(space),
            "unfreeze": unfreeze,
            "unfreeze_refusal": refusal,
            "factor_reset": reset,
            "factor_reset_refusal": reset_refusal,
        },
    )


@agent_view(roles.may_look_up)
def company(request, identifier: str):
    firm = company_by_identifier(identifier)
    if firm is None:
        raise Http404
    return _render(request, "backoffice/company.html", lookups.company_page(firm))
