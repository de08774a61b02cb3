"""Logging in and out, activating a space, the space's home page."""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.flows.activation import ActivationRefused, activate_space
from accounts.flows.password_expiry import expiry_status
from accounts.forms import ActivationForm, LoginForm
from accounts.models import Subscriber
from accounts.password_views import start_expired_flow
from accounts.pdf import recap_pdf
from accounts.throttle import seconds_to_wait
from audit.trail import client_ip
from habilitations import dossiers
from portal import clock

LOGIN_FAILED = "Adresse électronique ou mot de passe incorrect."
JUST_ACTIVATED = "just_activated"


@require_http_methods(["GET", "POST"])
def login_page(request):
    """The portal's home: *Connexion à mon espace professionnel*."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": form.cleaned_data["username"]}
        if AxesProxyHandler.is_locked(request, credentials):
            return render(request, "accounts/locked_out.html", status=429)
        wait = seconds_to_wait(form.cleaned_data["username"], client_ip(request))
        if wait:
            plural = "s" if wait > 1 else ""
            form.add_error(
                None,
                f"Plusieurs tentatives ont échoué : patientez {wait} seconde{plural} avant de "
                "réessayer.",
            )
            return render(request, "accounts/login.html", {"form": form})
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if user is not None:
            status = expiry_status(user)
            if status.expired:
                return start_expired_flow(request, user)
            login(request, user)
            if status.warn:
                return redirect("accounts:password_expiry_notice")
            return redirect("accounts:home")
        # Same answer whether the e-mail has a space or not (SPEC §14).
        form.add_error(None, LOGIN_FAILED)
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_required
def home(request):
    return render(
        request,
        "accounts/home.html",
        {"subscriber": request.user, "dossier_count": dossiers.count(request.user)},
    )


@require_http_methods(["GET", "POST"])
def activate(request):
    """*Activer mon espace / mes services*: e-mail + code → the space exists (SPEC §4)."""
    if request.user.is_authenticated:
        # A logged-in subscriber activates services with a letter's code (SPEC §6).
        return redirect("requests:activate")
    pending = request.session.get("pending_activation") or {}
    form = ActivationForm(
        request.POST if request.method == "POST" else None,
        initial={"email": pending.get("email", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            subscriber = activate_space(
                form.cleaned_data["email"],
                form.cleaned_data["code"],
                request,
                password=form.cleaned_data["password"],
            )
        except ActivationRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            request.session.pop("pending_activation", None)
            request.session[JUST_ACTIVATED] = [subscriber.pk, clock.now().isoformat()]
            return redirect("accounts:activated")
    return render(request, "accounts/activate.html", {"form": form})


def _just_activated(request) -> Subscriber | None:
    """The space this browser just activated, for a short while (a shared computer)."""
    value = request.session.get(JUST_ACTIVATED)
    if not value:
        return None
    pk, at = value
    if clock.now() - datetime.fromisoformat(at) > settings.ACTIVATION_RECAP_WINDOW:
        request.session.pop(JUST_ACTIVATED, None)
        return None
    return Subscriber.objects.filter(pk=pk).first()


def activated(request):
    subscriber = _just_activated(request)
    if subscriber is None:
        return redirect("accounts:login")
    return render(request, "accounts/activated.html", {"subscriber": subscriber})


def _pdf_response(subscriber: Subscriber) -> HttpResponse:
    response = HttpResponse(recap_pdf(subscriber), content_type="application/pdf")
    filename = f"espace-professionnel-{subscriber.subscriber_number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def activated_recap_pdf(request):
    """The recap PDF right after activation, for the browser session that activated."""
    subscriber = _just_activated(request)
    if subscriber is None:
        return redirect("accounts:login")
    return _pdf_response(subscriber)


@login_required
def recap_pdf_view(request):
    return _pdf_response(request.user)
