"""Supervisors of the secure messaging (docs/backoffice.md §10): how long the oldest
unanswered message of each office's queue has waited, and the canned answers per motif
(`messaging.agent_actions.save_canned_answer`)."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from backoffice import roles
from backoffice.guards import agent_view
from backoffice.message_forms import CannedAnswerForm
from backoffice.views.pages import _render, flash
from core import clock
from core.refusals import Refusal
from messaging import agent_actions, queries
from messaging.motifs import Motif
from messaging.offices import office_name

# The states waiting for the administration (`oldest_unanswered_by_queue`), as the queues say.
QUEUE_LABELS = {"new": "Nouveaux", "assigned": "Pris en charge"}


@agent_view(roles.may_supervise_messages)
@require_GET
def overview(request):
    """Per office and queue waiting for the administration: how many threads, and since when
    the oldest unanswered message waits (one query). An office's supervisor sees theirs."""
    now = clock.now()
    rows = [
        {
            **row,
            "office_label": office_name(row["office"]),
            "queue_label": QUEUE_LABELS.get(row["state"], row["state"]),
            "age": now - row["oldest"],
        }
        for row in queries.oldest_unanswered_by_queue(request.agent.office or None)
    ]
    return _render(request, "backoffice/messaging/overview.html", {"rows": rows})


@agent_view(roles.may_supervise_messages)
@require_GET
def canned_list(request):
    return _render(
        request,
        "backoffice/messaging/canned_list.html",
        {"answers": list(queries.canned_answers()), "motifs": dict(Motif.choices)},
    )


@agent_view(roles.may_supervise_messages)
@require_http_methods(["GET", "POST"])
def canned_edit(request, canned_id: int | None = None):
    canned = None
    if canned_id is not None:
        canned = queries.canned_answer(canned_id)
        if canned is None:
            raise Http404
    initial = {"motif": canned.motif, "title": canned.title, "text": canned.text} if canned else {}
    form = CannedAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agent_actions.save_canned_answer(
                request.agent, data["motif"], data["title"], data["text"], canned
            )
        except Refusal as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            flash(request, "La réponse type est enregistrée.")
            return redirect("backoffice:canned_answers")
    return _render(
        request, "backoffice/messaging/canned_form.html", {"form": form, "canned": canned}
    )
