"""Agents' login (password then TOTP or recovery code), activation and TOTP enrolment, logout
(docs/backoffice.md §1): thin views over `backoffice.auth`."""

import segno
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from backoffice import agent_accounts, auth
from backoffice.forms import (
    ActivationForm,
    CodeForm,
    EnrolmentCodeForm,
    LoginForm,
    ResetCodeForm,
)
from backoffice.guards import agent_public
from backoffice.models import AgentDevice
from core.refusals import Refusal


def _refused(form, refusal: Refusal) -> None:
    field = refusal.field if refusal.field in form.fields else None
    for message in refusal.messages:
        form.add_error(field, message)


@agent_public
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def login(request):
    if request.agent:
        return redirect("backoffice:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auth.check_password_step(
                request, form.cleaned_data["email"], form.cleaned_data["password"]
            )
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            return redirect("backoffice:second_factor")
    return render(request, "backoffice/login.html", {"form": form})


@agent_public
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def second_factor(request):
    agent = auth.pending_agent(request)
    if agent is None:
        return redirect("backoffice:login")
    # After a supervisor reset the second factor, the code e-mailed to the agent stands in for
    # it once, and leads to the enrolment of a new application (docs/backoffice.md §1.9).
    by_email = not auth.has_device(agent)
    form = (ResetCodeForm if by_email else CodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = auth.reset_code_step if by_email else auth.second_factor_step
        try:
            step(request, agent, form.cleaned_data["code"])
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            return redirect("backoffice:enrolment" if by_email else "backoffice:home")
    return render(request, "backoffice/second_factor.html", {"form": form, "by_email": by_email})


@agent_public
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def activation(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent = agent_accounts.activate(request, data["email"], data["code"], data["password1"])
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            auth.new_device(agent)
            return redirect("backoffice:enrolment")
    return render(request, "backoffice/activation.html", {"form": form})


@agent_public
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def enrolment(request):
    """The QR code of a new TOTP secret; the first code from the application confirms it, and
    the recovery codes are shown once."""
    agent = auth.enrolling_agent(request)
    device = AgentDevice.objects.filter(user=agent, confirmed=False).first() if agent else None
    if device is None:
        return redirect("backoffice:login")
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery = auth.confirm_device(request, agent, form.cleaned_data["code"])
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            return render(
                request, "backoffice/recovery_codes.html", {"codes": recovery, "replaced": False}
            )
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "backoffice/enrolment.html",
        {
            "form": form,
            "qr": qr,
            "secret": device.base32_key,
            "email": agent.email,
            "replacing": False,
        },
    )


@agent_public
@require_POST
def logout(request):
    auth.log_out(request)
    return redirect("backoffice:login")
