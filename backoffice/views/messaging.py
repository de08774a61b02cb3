"""The secure messaging's back office (docs/backoffice.md §10, docs/messaging.md §7): an
office's queues, a thread (every reading audited), and the agent's actions on it — take,
answer, internal note, reassign, close — each a POST through `messaging.agent_actions`, the
office checked by the domain on the row it locks. A thread or a file of another office is a
404, as an unknown one."""

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from backoffice import roles
from backoffice.guards import agent_view
from backoffice.message_forms import AnswerForm, NoteForm, ReassignForm
from backoffice.views.pages import _render, flash
from core.refusals import Refusal
from messaging import agent_actions, queries
from messaging.access import agent_may_handle
from messaging.offices import OFFICES, is_office, office_name
from messaging.uploads import takes_attachments

if TYPE_CHECKING:
    from messaging.models import Thread

PAGE_SIZE = 25
QUEUES = {
    "new": "Nouveaux",
    "mine": "Mes conversations",
    "waiting_company": "En attente de l'entreprise",
    "closed": "Clos",
}


def _office_filter(request) -> str | None:
    """The office whose queues are shown: the agent's own; for a national agent (blank
    office), the one chosen in the filter, or every office."""
    if request.agent.office:
        return request.agent.office
    chosen = request.GET.get("service", "")
    return chosen if is_office(chosen) else None


@agent_view(roles.may_handle_messages)
@require_GET
def queues(request):
    kind = request.GET.get("file", "new")
    if kind not in QUEUES:
        kind = "new"
    office = _office_filter(request)
    page = Paginator(queries.office_queue(office, kind, request.agent), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "backoffice/messaging/queues.html",
        {
            "queues": QUEUES,
            "kind": kind,
            "kind_label": QUEUES[kind],
            "page": page,
            "office": office or "",
            "national": not request.agent.office,
            "offices": OFFICES,
            "can_supervise": roles.may_supervise_messages(request.agent),
        },
    )


def _thread_or_404(request, thread_id) -> "Thread":
    thread = queries.thread_by_id(thread_id)
    if thread is None or not agent_may_handle(request.agent, thread):
        raise Http404
    return thread


def _thread_page(request, thread, *, answer=None, note=None, reassign=None, error="", status=200):
    """The thread as the agent reads it; each showing is a reading, written to the trail."""
    agent_actions.agent_read_thread(request.agent, thread)
    canned = list(queries.canned_answers(thread.motif))
    response = _render(
        request,
        "backoffice/messaging/thread.html",
        {
            "thread": thread,
            "company": thread.company,
            "office_label": office_name(thread.office),
            "messages": list(queries.messages_of(thread)),
            "notes": list(queries.notes_of(thread)),
            "answer_form": answer or AnswerForm(prefix="answer", canned_answers=canned),
            "note_form": note or NoteForm(prefix="note"),
            "reassign_form": reassign or ReassignForm(prefix="reassign", current=thread.office),
            "may_take": thread.assigned_agent_id is None
            and thread.state in ("new", "waiting_company"),
            "error": error,
        },
    )
    response.status_code = status
    return response


def _refused(form, refusal: Refusal) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


@agent_view(roles.may_handle_messages)
@require_GET
def thread(request, thread_id: int):
    return _thread_page(request, _thread_or_404(request, thread_id))


@agent_view(roles.may_handle_messages)
@require_POST
def take(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    try:
        agent_actions.take(request.agent, thread)
    except Refusal as refusal:
        return _thread_page(request, thread, error=refusal.message, status=409)
    flash(request, "Vous avez pris en charge cette conversation.")
    return redirect("backoffice:message_thread", thread.pk)


@takes_attachments
@agent_view(roles.may_handle_messages)
@require_POST
def answer(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    canned = list(queries.canned_answers(thread.motif))
    if "insert" in request.POST:
        return _insert_canned(request, thread, canned)
    form = AnswerForm(request.POST, request.FILES, prefix="answer", canned_answers=canned)
    if not form.is_valid():
        return _thread_page(request, thread, answer=form, status=422)
    try:
        agent_actions.answer(
            request.agent, thread, form.cleaned_data["body"], form.cleaned_data["files"]
        )
    except Refusal as refusal:
        _refused(form, refusal)  # the form keeps the text typed; the files are to choose again
        return _thread_page(request, thread, answer=form, status=422)
    flash(request, "Votre réponse est envoyée : la conversation attend l'entreprise.")
    return redirect("backoffice:message_thread", thread.pk)


def _insert_canned(request, thread, canned):
    """« Insérer »: the chosen canned answer's text joins what was typed; nothing is sent (the
    files, which a browser cannot be given back, are chosen after)."""
    chosen = {c.pk: c for c in canned}.get(_int(request.POST.get("answer-canned")))
    data = request.POST.copy()
    typed = data.get("answer-body", "").rstrip()
    if chosen is not None:
        data["answer-body"] = f"{typed}\n\n{chosen.text}" if typed else chosen.text
    form = AnswerForm(data, prefix="answer", canned_answers=canned)
    if chosen is None:
        form.is_valid()
        form.add_error("canned", "Choisissez une réponse type.")
    return _thread_page(request, thread, answer=form)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@agent_view(roles.may_handle_messages)
@require_POST
def note(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            agent_actions.add_note(request.agent, thread, form.cleaned_data["body"])
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            flash(request, "La note interne est ajoutée.")
            return redirect("backoffice:message_thread", thread.pk)
    return _thread_page(request, thread, note=form, status=422)


@agent_view(roles.may_handle_messages)
@require_POST
def reassign(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    form = ReassignForm(request.POST, prefix="reassign", current=thread.office)
    if form.is_valid():
        try:
            moved = agent_actions.reassign(request.agent, thread, form.cleaned_data["office"])
        except Refusal as refusal:
            _refused(form, refusal)
        else:
            flash(request, f"La conversation est confiée au {office_name(moved.office)}.")
            if agent_may_handle(request.agent, moved):
                return redirect("backoffice:message_thread", thread.pk)
            return redirect("backoffice:message_queues")
    return _thread_page(request, thread, reassign=form, status=422)


@agent_view(roles.may_handle_messages)
@require_POST
def close(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    try:
        agent_actions.close_by_agent(request.agent, thread)
    except Refusal as refusal:
        return _thread_page(request, thread, error=refusal.message, status=409)
    flash(request, "La conversation est close.")
    return redirect("backoffice:message_thread", thread.pk)


@agent_view(roles.may_handle_messages)
@require_GET
def attachment(request, thread_id: int, attachment_id: int):
    """A file of the thread: the reading is written to the trail before a byte is sent."""
    thread = _thread_or_404(request, thread_id)
    found = queries.attachment_of(thread, attachment_id)
    if found is None:
        raise Http404
    agent_actions.agent_read_attachment(request.agent, found)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
