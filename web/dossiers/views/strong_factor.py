"""*Exiger une authentification forte* (docs/habilitations.md §14): the company's administrators
(`Rights.may_set_factor_policy`, as in the *Gérer* menu) choose the date from which holders of
*Payer* and those who designate must use an authenticator app or a passkey, confirm it after
seeing who does not comply yet, change the date or lift it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import clock
from core.dates import short_date
from core.refusals import Refusal
from habilitations.company_data import strong_factor as policy_flow
from web.current_dossier import make_current
from web.dossiers.forms import StrongFactorForm
from web.guards import dossier_or_403, refuse
from web.refusals import add_to_form, add_to_page


@require_http_methods(["GET", "POST"])
def strong_factor(request, identifier: str):
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    if not rights.may_set_factor_policy():
        refuse(identifier, "may not set the company's strong factor policy")
    step = request.POST.get("step", "")
    form = StrongFactorForm(request.POST if step in ("check", "confirm") else None)
    context = {
        "company": company,
        "policy": policy_flow.policy_of(company),
        "earliest": policy_flow.earliest_date(),
        "form": form,
        "own_missing": not request.user.strong_factor,
        "today": clock.today(),
    }
    if step in ("check", "confirm") and form.is_valid():
        applies_from = form.cleaned_data["applies_from"]
        try:
            if step == "confirm":
                policy_flow.require_strong_factor(request.user, company, applies_from)
                messages.success(
                    request,
                    "L'authentification forte sera exigée à partir du "
                    f"{short_date(applies_from)} ; les personnes concernées en sont informées "
                    "par courriel.",
                )
                return redirect("dossiers:strong_factor", identifier=company.identifier)
            policy_flow.check_applies_from(applies_from)
        except Refusal as refusal:
            add_to_form(form, refusal)
        else:
            context |= {"applies_from": applies_from, "compliance": policy_flow.compliance(company)}
            return render(request, "dossiers/strong_factor_confirm.html", context)
    if step == "lift":
        try:
            policy_flow.lift_requirement(request.user, company)
        except Refusal as refusal:
            add_to_page(request, refusal)
        else:
            messages.success(request, "L'exigence d'authentification forte est levée.")
        return redirect("dossiers:strong_factor", identifier=company.identifier)
    if step == "lift_ask" and context["policy"] is not None:
        return render(request, "dossiers/strong_factor_lift.html", context)
    return render(request, "dossiers/strong_factor.html", context)
