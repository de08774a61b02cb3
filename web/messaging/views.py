"""The secure messaging, the company's side (docs/messaging.md): thin views over
`messaging.access`, `messaging.actions` and `messaging.queries`. Every page of a dossier's
messaging asks again whether the person may use the company's Messagerie (a suspension, a
withdrawal or a freeze cuts access at the next request): a 403, audited, if not."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock
from core.refusals import Refusal
from messaging import actions, queries
from messaging.access import refusal_for
from messaging.offices import office_for, office_name
from messaging.uploads import takes_attachments
from web.current_dossier import make_current
from web.guards import dossier_or_403, refuse
from web.messaging.forms import EmailsForm, ReplyForm, WriteForm
from web.refusals import add_to_form

if TYPE_CHECKING:
    from companies.models import Company
    from messaging.models import Thread

PAGE_SIZE = 20


def _company(request, identifier: str) -> Company:
    """The dossier, made current, if the person may use its messaging; else a 403 (audited)."""
    company, rights = dossier_or_403(request.user, identifier)
    make_current(request, company, rights)
    refusal = refusal_for(request.user, company, rights)
    if refusal is not None:
        refuse(company.identifier, refusal.code, code="messagerie")
    return company


def _thread(request, company: Company, thread_id: int) -> Thread:
    thread = queries.thread_for(request.user, company, thread_id)
    if thread is None:
        raise Http404
    return thread


def _may_reply(thread: Thread) -> bool:
    """Open, or closed less than MESSAGING_REOPEN_DAYS ago and not reopened yet."""
    if not thread.is_closed:
        return True
    return thread.reopen_until is not None and clock.now() <= thread.reopen_until


@require_GET
def threads(request, identifier: str):
    """*MESSAGERIE*: the company's conversations, unread first, then by last message."""
    company = _company(request, identifier)
    page = queries.threads_page(company, request.user, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "messaging/threads.html",
        {"company": company, "page": page, "office": office_for(company).name},
    )


@require_http_methods(["GET", "POST"])
@takes_attachments
def write(request, identifier: str):
    """*Écrire un message*: motif, subject, text and files; refused, what was typed stays."""
    company = _company(request, identifier)
    form = WriteForm(request.POST or None, request.FILES or None)
    files_dropped = False
    if request.method == "POST" and form.is_valid():
        data, files = form.cleaned_data, form.cleaned_data["files"]
        try:
            thread = actions.start_thread(
                request.user, company, data["motif"], data["subject"], data["body"], files
            )
        except Refusal as refusal:
            add_to_form(form, refusal)
            files_dropped = bool(files)
        else:
            messages.success(request, "Votre message a été envoyé.")
            return redirect("messaging:thread", identifier=company.identifier, thread_id=thread.pk)
    return render(
        request,
        "messaging/write.html",
        {
            "company": company,
            "form": form,
            "files_dropped": files_dropped,
            "office": office_for(company).name,
        },
    )


@require_http_methods(["GET", "POST"])
@takes_attachments
def thread(request, identifier: str, thread_id: int):
    """A conversation: its messages in order, marked read; *Répondre* below them."""
    company = _company(request, identifier)
    found = _thread(request, company, thread_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    files_dropped = False
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["files"]
        try:
            actions.reply(request.user, found, form.cleaned_data["body"], files)
        except Refusal as refusal:
            add_to_form(form, refusal)
            files_dropped = bool(files)
        else:
            messages.success(request, "Votre réponse a été envoyée.")
            return redirect("messaging:thread", identifier=company.identifier, thread_id=found.pk)
    actions.mark_read(request.user, found)
    return render(
        request,
        "messaging/thread.html",
        {
            "company": company,
            "thread": found,
            "thread_messages": queries.messages_of(found),
            "form": form,
            "files_dropped": files_dropped,
            "may_reply": _may_reply(found),
            "office": office_name(found.office),
        },
    )


@require_http_methods(["GET", "POST"])
def close(request, identifier: str, thread_id: int):
    """*Clore la conversation*, after a confirmation page."""
    company = _company(request, identifier)
    found = _thread(request, company, thread_id)
    if found.is_closed:
        messages.info(request, "Cette conversation est déjà close.")
        return redirect("messaging:thread", identifier=company.identifier, thread_id=found.pk)
    if request.method == "POST":
        try:
            actions.close_by_company(request.user, found)
        except Refusal as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(request, "La conversation est close.")
        return redirect("messaging:thread", identifier=company.identifier, thread_id=found.pk)
    return render(
        request,
        "messaging/close_confirm.html",
        {"company": company, "thread": found, "reopen_days": settings.MESSAGING_REOPEN_DAYS},
    )


def _disposition(name: str) -> str:
    """`attachment`, with the name in UTF-8 (RFC 6266) and an ASCII fallback."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_GET
def download(request, identifier: str, thread_id: int, attachment_id: int):
    """An attachment's bytes, from the messaging's private storage, to whoever may use the
    company's messaging now: never shown in the page (`attachment`, `nosniff`, not cached)."""
    company = _company(request, identifier)
    attachment = queries.attachment_for(company, thread_id, attachment_id)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = _disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def unread(request):
    """The dossiers with a conversation the person has not read (« Messages non lus »)."""
    page = Paginator(queries.unread_dossiers(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "messaging/unread.html", {"page": page})


@require_POST
def emails(request):
    """« Recevoir un courriel quand l'administration vous répond »: yes or no."""
    form = EmailsForm(request.POST)
    receive = form.is_valid() and form.cleaned_data["receive"]
    actions.set_email_opt_out(request.user, not receive)
    messages.success(
        request,
        "Vous recevrez un courriel quand l'administration vous répondra dans la messagerie "
        "sécurisée."
        if receive
        else "Vous ne recevrez plus de courriel quand l'administration vous répondra dans la "
        "messagerie sécurisée.",
    )
    return redirect("space:coordinates")
