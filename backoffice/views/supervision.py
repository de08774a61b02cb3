"""Supervisors: the agents (create, deactivate) and the audit trail of a period, read and
exported as CSV (docs/backoffice.md §2, §8)."""

import csv
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.models import Action, AuditEvent
from audit.trail import record
from backoffice import agent_accounts, roles
from backoffice.forms import AgentForm, PeriodForm, ReasonForm
from backoffice.guards import acting_agent, agent_view
from backoffice.models import Agent, AgentDevice
from backoffice.readable import described
from backoffice.views.pages import flash, pop_flash
from core import clock
from core.refusals import Refusal

PAGE = 200


@agent_view(roles.may_manage_agents)
@require_http_methods(["GET", "POST"])
def agents(request):
    form = AgentForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with acting_agent(request.agent, data["reason"], data["ticket"]):
                created = agent_accounts.create_agent(
                    data["email"],
                    data["first_name"],
                    data["last_name"],
                    data["role"],
                    by=request.agent,
                )
        except Refusal as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            form = AgentForm()
    return render(
        request,
        "backoffice/agents.html",
        {
            "form": form,
            "created": created,
            "agents": Agent.objects.select_related("created_by")
            .annotate(
                enrolled=Exists(AgentDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            )
            .order_by("last_name", "first_name"),
            "flash": pop_flash(request),
            "four_eyes_days": settings.AGENT_FOUR_EYES_PERIOD.days,
        },
    )


@agent_view(roles.may_manage_agents)
@require_http_methods(["GET", "POST"])
def deactivate(request, pk: int):
    target = Agent.objects.filter(pk=pk, is_active=True).first()
    if target is None or target.pk == request.agent.pk:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason, ticket = form.cleaned_data["reason"], form.cleaned_data["ticket"]
        with acting_agent(request.agent, reason, ticket), transaction.atomic():
            target.is_active = False
            target.session_epoch += 1
            target.save(update_fields=["is_active", "session_epoch"])
            record(Action.AGENT_CHANGED, target=target.email, is_active=False)
        flash(request, f"Le compte de {target.full_name} est désactivé.")
        return redirect("backoffice:agents")
    return render(request, "backoffice/deactivate.html", {"form": form, "target": target})


def _period(form) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(form.cleaned_data["start"], time.min, tzinfo=zone)
    end = datetime.combine(form.cleaned_data["end"] + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _events(start, end):
    return AuditEvent.objects.filter(at__gte=start, at__lt=end).order_by("at", "id")


@agent_view(roles.may_read_trail)
def trail(request):
    today = timezone.localdate(clock.now())
    form = PeriodForm(request.GET or {"start": today, "end": today})
    events = []
    if form.is_valid():
        start, end = _period(form)
        events = described(_events(start, end).reverse()[:PAGE])
    return render(request, "backoffice/trail.html", {"form": form, "events": events})


def _cell(value) -> str:
    """A spreadsheet must not run a cell as a formula (docs/security.md: CSV)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


@agent_view(roles.may_read_trail)
def trail_csv(request):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return redirect("backoffice:trail")
    start, end = _period(form)
    record(
        Action.AGENT_TRAIL_EXPORTED,
        target=f"{form.cleaned_data['start']}/{form.cleaned_data['end']}",
    )
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield writer.writerow(
            ["date", "action", "libellé", "cible", "abonné", "adresse IP", "détails"]
        )
        for event in _events(start, end).select_related("actor").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _cell(timezone.localtime(event.at).isoformat()),
                    _cell(event.action),
                    _cell(event.action_label),
                    _cell(event.target),
                    _cell(event.actor.subscriber_number if event.actor else ""),
                    _cell(event.ip_address),
                    _cell(event.details),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = f"journal-{form.cleaned_data['start']}-{form.cleaned_data['end']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
