"""Firm-wide delegation pages (docs/habilitations.md §2): a collaborator leaving, a newcomer."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.queries import subscriber_by_number
from audit.models import Action as AuditAction
from audit.trail import record
from core.refusals import Refusal
from habilitations.catalogue import ELEMENTARY_SERVICES
from habilitations.choices import Role
from habilitations.delegation import actions as delegation
from habilitations.delegation import queries as delegation_queries
from habilitations.delegation.many import designate_many, plan_many
from habilitations.portfolio import queries as portfolio
from habilitations.portfolio.queries import dossier_companies
from habilitations.rights.queries import administered_company_ids
from web.dossiers.forms import BulkDelegationForm
from web.guards import refuse
from web.refusals import add_to_form

PREVIEW_LIMIT = 50


def delegates(request):
    """The people holding delegations on the companies one administers (AT or AS)."""
    return render(
        request,
        "firm/delegates.html",
        {"rows": delegation_queries.firm_delegates(request.user)},
    )


@require_http_methods(["GET", "POST"])
def withdraw_all(request, number: str):
    """*Retirer toutes ses délégations*: a confirmation page listing everything, then one go.
    The page names the person: only for those who administer a company (docs/habilitations.md
    §5.2), checked before the number is even looked up, and only when they hold delegations
    this administrator may withdraw (an unknown number and a stranger look the same)."""
    if not administered_company_ids(request.user).exists():
        refuse(number, "withdraw all: administers no company")
    holder = subscriber_by_number(number)
    habilitations = delegation_queries.withdrawable(request.user, holder) if holder else []
    if not habilitations:
        refuse(number, "withdraw all: nothing of theirs this subscriber may withdraw")
    if request.method == "POST":
        removed = delegation.withdraw_all(request.user, holder)
        messages.success(
            request,
            ngettext(
                "{count} délégation de {name} retirée.",
                "{count} délégations de {name} retirées.",
                removed,
            ).format(count=removed, name=holder.display_name),
        )
        return redirect("firm:delegates")
    return render(
        request,
        "firm/withdraw_confirm.html",
        {"holder": holder, "habilitations": habilitations},
    )


@require_http_methods(["GET", "POST"])
def delegate_many(request):
    """A newcomer: one level on the same services for many dossiers, previewed then done."""
    codes = [(es.code, es.label) for es in ELEMENTARY_SERVICES]
    form = BulkDelegationForm(request.POST if request.method == "POST" else None, codes=codes)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        holder = form.subscriber
        role = Role(form.cleaned_data["role"])
        chosen = form.cleaned_data["codes"]
        companies = dossier_companies(portfolio.search(request.user, form.cleaned_data["query"]))
        try:
            if "confirm" in request.POST:
                plan = designate_many(request.user, holder, role, chosen, companies)
                messages.success(
                    request,
                    _granted_message(plan, holder),
                )
                return redirect("firm:delegates")
            plan = plan_many(request.user, holder, role, chosen, companies)
        except Refusal as refusal:
            record(
                AuditAction.ACCESS_REFUSED,
                actor=request.user,
                target=holder.subscriber_number,
                reason=refusal.message,
            )
            add_to_form(form, refusal)
        else:
            context.update(
                {
                    "holder": holder,
                    "plan": plan,
                    "plan_companies": len({h.company_id for h in plan.granted}),
                    "refused_preview": plan.refused[:PREVIEW_LIMIT],
                    "role_label": role.label,
                }
            )
    return render(request, "firm/delegate_many.html", context)


def _granted_message(plan, holder) -> str:
    granted = len(plan.granted)
    dossiers = len({h.company_id for h in plan.granted})
    delegations = ngettext(
        "{count} délégation accordée à {name}", "{count} délégations accordées à {name}", granted
    ).format(count=granted, name=holder.display_name)
    on = ngettext("sur {count} dossier.", "sur {count} dossiers.", dossiers).format(count=dossiers)
    return f"{delegations} {on}"
