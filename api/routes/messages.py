"""The secure messaging of a dossier (docs/api.md §2, docs/messaging.md), through the same
functions as the pages: who may read and write is `messaging.access.may_use_messaging` for the
token's owner, asked on every call (a suspension cuts access at the next one). Scopes
`messages:read` (threads, messages, files) and `messages:write` (a new thread, a reply with
attachments as multipart, marking read). A company one may not use the Messagerie of, whether
it exists or not, is a 404 (`messaging.forbidden`)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from django.core import signing
from django.http import FileResponse
from ninja import Field as QueryField
from ninja import File, Form, Router, Schema, Status, UploadedFile

from api import problems
from api.auth import SubscriberToken, subscriber_of
from api.models import Scope
from api.schemas import UtcSchema
from companies.lookup import company_by_identifier
from messaging import actions, queries
from messaging.access import refusal_for

if TYPE_CHECKING:
    from companies.models import Company
    from messaging.models import Thread

read = SubscriberToken(Scope.MESSAGES_READ)
write = SubscriberToken(Scope.MESSAGES_WRITE)
router = Router()

MAX_LIMIT = 200
CURSOR_SALT = "api.threads.cursor"
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class MessageOut(UtcSchema):
    id: int
    side: str
    author_name: str
    author_role: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class ThreadOut(UtcSchema):
    id: int
    subject: str
    motif: str
    motif_label: str
    state: str
    state_label: str
    created_at: datetime
    last_message_at: datetime
    closed_at: datetime | None
    reopen_until: datetime | None
    unread: bool
    message_count: int


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]


class ThreadPage(Schema):
    items: list[ThreadOut]
    total: int
    next_cursor: str | None


def _company(request, siren: str) -> "Company":
    """The company, if the caller may use its Messagerie now; else the refusal (404 for a
    company they may not use or that does not exist, `space.frozen`, `company.frozen`)."""
    company = company_by_identifier(siren)
    if company is None:
        raise problems.problem("messaging.forbidden")
    refusal = refusal_for(subscriber_of(request), company)
    if refusal is not None:
        raise problems.ApiProblem(refusal)
    return company


def _thread(request, siren: str, thread_id: int) -> "Thread":
    company = _company(request, siren)
    thread = queries.thread_for(subscriber_of(request), company, thread_id)
    if thread is None:
        raise problems.problem("api.not_found")
    return thread


def thread_out(thread: "Thread") -> dict:
    """A thread of `queries.threads_of` (annotated with `unread` and `message_count`)."""
    return {
        "id": thread.pk,
        "subject": thread.subject,
        "motif": thread.motif,
        "motif_label": thread.get_motif_display(),
        "state": thread.state,
        "state_label": thread.get_state_display(),
        "created_at": thread.created_at,
        "last_message_at": thread.last_message_at,
        "closed_at": thread.closed_at,
        "reopen_until": thread.reopen_until,
        "unread": thread.unread,
        "message_count": thread.message_count,
    }


def message_out(message) -> dict:
    return {
        "id": message.pk,
        "side": message.side,
        "author_name": message.author_name,
        "author_role": message.author_role,
        "body": message.body,
        "created_at": message.created_at,
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in message.attachments.all()
        ],
    }


def _detail(thread: "Thread", subscriber) -> dict:
    """The thread as listed (its unread mark for the caller, its count), and its messages."""
    listed = queries.threads_of(thread.company, subscriber).get(pk=thread.pk)
    messages = [message_out(m) for m in queries.messages_of(thread)]
    return {**thread_out(listed), "messages": messages}


def _offset(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        return int(signing.loads(cursor, salt=CURSOR_SALT)["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise problems.problem("api.invalid_cursor") from None


@router.get(
    "/dossiers/{siren}/threads",
    response=ThreadPage,
    auth=read,
    summary="Les conversations de la messagerie du dossier",
)
def threads(
    request,
    siren: str,
    cursor: Annotated[str, QueryField(max_length=200)] = "",
    limit: Annotated[int, QueryField(ge=1, le=MAX_LIMIT)] = 50,
):
    """Non lues d'abord, puis de la plus récente à la plus ancienne."""
    company = _company(request, siren)
    offset = _offset(cursor)
    listed = queries.threads_of(company, subscriber_of(request))
    total = listed.count()
    page = list(listed[offset : offset + limit])
    after = offset + len(page)
    return {
        "items": [thread_out(t) for t in page],
        "total": total,
        "next_cursor": signing.dumps({"o": after}, salt=CURSOR_SALT) if after < total else None,
    }


@router.get(
    "/dossiers/{siren}/threads/{thread_id}",
    response=ThreadDetailOut,
    auth=read,
    summary="Une conversation, ses messages et leurs pièces jointes",
)
def thread(request, siren: str, thread_id: int):
    return _detail(_thread(request, siren, thread_id), subscriber_of(request))


@router.get(
    "/dossiers/{siren}/threads/{thread_id}/attachments/{attachment_id}",
    auth=read,
    summary="Télécharger une pièce jointe",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Le fichier (PDF, JPEG ou PNG)",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in FILE_TYPES
                },
            }
        }
    },
)
def attachment(request, siren: str, thread_id: int, attachment_id: int):
    found = queries.attachment_of(_thread(request, siren, thread_id), attachment_id)
    if found is None:
        raise problems.problem("api.not_found")
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/dossiers/{siren}/threads",
    response={201: ThreadDetailOut},
    auth=write,
    summary="Écrire : une nouvelle conversation (multipart)",
)
def start(
    request,
    siren: str,
    motif: Form[str],
    subject: Form[str],
    body: Form[str],
    files: File[list[UploadedFile]] = None,
):
    company = _company(request, siren)
    me = subscriber_of(request)
    started = actions.start_thread(me, company, motif, subject, body, files or [])
    return Status(201, _detail(started, me))


@router.post(
    "/dossiers/{siren}/threads/{thread_id}/messages",
    response={201: MessageOut},
    auth=write,
    summary="Répondre dans une conversation (multipart)",
)
def reply(
    request,
    siren: str,
    thread_id: int,
    body: Form[str],
    files: File[list[UploadedFile]] = None,
):
    found = _thread(request, siren, thread_id)
    message = actions.reply(subscriber_of(request), found, body, files or [])
    return Status(201, message_out(message))


@router.post(
    "/dossiers/{siren}/threads/{thread_id}/read",
    response={204: None},
    auth=write,
    summary="Marquer une conversation comme lue",
)
def mark_read(request, siren: str, thread_id: int):
    actions.mark_read(subscriber_of(request), _thread(request, siren, thread_id))
    return Status(204, None)
