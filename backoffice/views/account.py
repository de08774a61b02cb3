"""*Mon compte* (docs/backoffice.md §1.8): the agent's own page, their password, and the
replacement of their TOTP application; thin views over `backoffice.account`."""

import segno
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.passwords import score
from backoffice import account, auth
from backoffice.forms import CurrentPasswordForm, EnrolmentCodeForm, PasswordChangeForm
from backoffice.guards import agent_view
from backoffice.models import AgentRecoveryCode
from backoffice.views.pages import flash, pop_flash
from core import clock
from core.refusals import Refusal

# The new application started from this session, and when (it must be confirmed within).
REPLACEMENT, REPLACEMENT_AT = "agent_replacement_id", "agent_replacement_at"
REPLACEMENT_SECONDS = 600


def _refused(request, form, refusal: Refusal):
    """The refusal beside its field; past the login limit, the session ends (§1.8)."""
    if refusal.code == "agent.locked":
        auth.log_out(request)
        return redirect("backoffice:login")
    field = refusal.field if refusal.field in form.fields else None
    for message in refusal.messages:
        form.add_error(field, message)
    return None


@agent_view()
def home(request):
    agent = request.agent
    return render(
        request,
        "backoffice/account.html",
        {
            "agent": agent,
            "device": agent.device,
            "recovery_left": AgentRecoveryCode.objects.filter(agent=agent).count(),
            "flash": pop_flash(request),
        },
    )


@agent_view()
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent = account.change_password(
                request.agent, data["current_password"], data["new_password1"]
            )
        except Refusal as refusal:
            if (response := _refused(request, form, refusal)) is not None:
                return response
        else:
            auth.keep_session(request, agent)
            flash(request, "Votre mot de passe est modifié. Vos autres sessions sont fermées.")
            return redirect("backoffice:account")
    return render(request, "backoffice/account_password.html", {"form": form})


@agent_view()
@sensitive_post_parameters()
@require_POST
def password_strength(request):
    """The strength indicator of the new password, scored as the rules will score it."""
    agent = request.agent
    new = request.POST.get("new_password1", "")
    if not new:
        return HttpResponse("")
    report = score(new, email=agent.email, names=(agent.last_name, agent.first_name))
    return render(request, "partials/strength.html", {"report": report, "length": len(new)})


@agent_view()
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def device(request):
    """Step 1 of a new application: the current password."""
    form = CurrentPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = account.start_replacement(request.agent, form.cleaned_data["current_password"])
        except Refusal as refusal:
            if (response := _refused(request, form, refusal)) is not None:
                return response
        else:
            request.session[REPLACEMENT] = new.pk
            request.session[REPLACEMENT_AT] = clock.now().timestamp()
            return redirect("backoffice:account_device_confirm")
    return render(request, "backoffice/account_device.html", {"form": form})


def _replacement(request):
    started = request.session.get(REPLACEMENT_AT, 0)
    if clock.now().timestamp() - started > REPLACEMENT_SECONDS:
        return None
    return account.replacement(request.agent, request.session.get(REPLACEMENT))


@agent_view()
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def device_confirm(request):
    """Step 2: the QR code of the new secret; its first code replaces the former application,
    and the new recovery codes are shown once."""
    new = _replacement(request)
    if new is None:
        return redirect("backoffice:account_device")
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agent, recovery = account.confirm_replacement(
                request.agent, new.pk, form.cleaned_data["code"]
            )
        except Refusal as refusal:
            _refused(request, form, refusal)
        else:
            for key in (REPLACEMENT, REPLACEMENT_AT):
                request.session.pop(key, None)
            auth.keep_session(request, agent)
            return render(
                request,
                "backoffice/recovery_codes.html",
                {"codes": recovery, "replaced": True},
            )
    qr = segno.make(new.config_url, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "backoffice/enrolment.html",
        {
            "form": form,
            "qr": qr,
            "secret": new.base32_key,
            "email": request.agent.email,
            "replacing": True,
        },
    )
