"""The writes of the administration's side (docs/messaging.md §7): the agent is handed in by
the back office (a "backoffice.Agent" row, never imported here); each write in one transaction,
audited with the agent; every reading of a thread or an attachment is recorded too."""

from django.db import transaction
from django.db.models import Case, Value, When

from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from messaging import notify
from messaging.access import ensure_agent_may_handle
from messaging.actions import close_thread
from messaging.attachments import check_files
from messaging.models import (
    Attachment,
    CannedAnswer,
    InternalNote,
    Message,
    Side,
    Thread,
    ThreadState,
)
from messaging.motifs import Motif
from messaging.offices import is_office, office_name
from messaging.writing import atomic_with_files, clean_body, store_message

# The agents' role that edits canned answers (backoffice.roles.AgentRole.SUPERVISION).
SUPERVISION = "supervision"


def _audit(action: Action, agent, thread: Thread, **details) -> None:
    record(
        action,
        target=thread.company.identifier,
        agent=agent.identity(),
        thread=thread.pk,
        office=thread.office,
        **details,
    )


def _locked(thread: Thread) -> Thread:
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("company").get(pk=thread.pk)
    )


def take(agent, thread: Thread) -> Thread:
    """The agent takes the thread (it leaves the *new* queue for theirs). One conditional
    UPDATE: of two agents taking it at once, one gets it, the other is refused."""
    ensure_agent_may_handle(agent, thread)
    with transaction.atomic():
        taken = Thread.objects.filter(
            pk=thread.pk,
            assigned_agent__isnull=True,
            state__in=[ThreadState.NEW, ThreadState.WAITING_COMPANY],
        ).update(
            assigned_agent=agent,
            state=_taken_state(thread),
        )
        if not taken:
            raise Refusal("messaging.already_taken")
        thread = Thread.objects.select_related("company").get(pk=thread.pk)
        _audit(Action.THREAD_TAKEN, agent, thread)
    return thread


def _taken_state(thread: Thread):
    """NEW becomes ASSIGNED; a thread waiting for the company stays so (now with its agent)."""
    return Case(
        When(state=ThreadState.NEW, then=Value(ThreadState.ASSIGNED.value)),
        default="state",
    )


def answer(agent, thread: Thread, body: str, files=()) -> Message:
    """The administration answers: the thread waits for the company; its holders of
    Messagerie and its e-mail address are told (never the content)."""
    body = clean_body(body)
    checked = check_files(files)
    with atomic_with_files() as stored:
        thread = _locked(thread)
        ensure_agent_may_handle(agent, thread)
        if thread.state == ThreadState.CLOSED:
            raise Refusal("messaging.closed")
        now = clock.now()
        message = store_message(
            thread,
            side=Side.ADMINISTRATION,
            body=body,
            files=checked,
            author_name=agent.full_name,
            author_role=office_name(thread.office),
            stored=stored,
            agent=agent,
        )
        thread.assigned_agent_id = thread.assigned_agent_id or agent.pk
        thread.state = ThreadState.WAITING_COMPANY
        thread.last_message_at = thread.last_admin_message_at = now
        thread.awaiting_since = None
        thread.save()
        _audit(Action.MESSAGE_ANSWERED, agent, thread, message=message.pk, attachments=len(checked))
        notify.tell_answer(thread.company)
    return message


@transaction.atomic
def add_note(agent, thread: Thread, text: str) -> InternalNote:
    thread = _locked(thread)
    ensure_agent_may_handle(agent, thread)
    note = InternalNote.objects.create(
        thread=thread,
        agent=agent,
        text=clean_body(text, code="messaging.note_missing"),
        created_at=clock.now(),
    )
    _audit(Action.NOTE_ADDED, agent, thread, note=note.pk)
    return note


@transaction.atomic
def reassign(agent, thread: Thread, office_code: str) -> Thread:
    """Hand the thread to another office: it goes back to that office's *new* queue."""
    thread = _locked(thread)
    ensure_agent_may_handle(agent, thread)
    if not is_office(office_code):
        raise Refusal("messaging.office_unknown", field="office")
    if office_code == thread.office:
        raise Refusal("messaging.same_office", field="office")
    previous = thread.office
    thread.office, thread.assigned_agent = office_code, None
    if thread.state == ThreadState.ASSIGNED:
        thread.state = ThreadState.NEW
    thread.save()
    _audit(Action.THREAD_REASSIGNED, agent, thread, previous_office=previous)
    return thread


@transaction.atomic
def close_by_agent(agent, thread: Thread) -> Thread:
    thread = _locked(thread)
    ensure_agent_may_handle(agent, thread)
    if thread.state == ThreadState.CLOSED:
        raise Refusal("messaging.closed")
    close_thread(thread, Side.ADMINISTRATION, clock.now())
    _audit(Action.THREAD_CLOSED, agent, thread, side=Side.ADMINISTRATION)
    return thread


@transaction.atomic
def agent_read_thread(agent, thread: Thread) -> None:
    """Record that the agent read the thread (the back office's thread page calls it)."""
    ensure_agent_may_handle(agent, thread)
    _audit(Action.THREAD_READ_BY_AGENT, agent, thread)


@transaction.atomic
def agent_read_attachment(agent, attachment: Attachment) -> None:
    """Record that the agent opened an attachment (before its bytes are sent)."""
    thread = attachment.message.thread
    ensure_agent_may_handle(agent, thread)
    _audit(
        Action.ATTACHMENT_READ_BY_AGENT,
        agent,
        thread,
        attachment=attachment.pk,
        name=attachment.name,
    )


@transaction.atomic
def save_canned_answer(
    agent, motif: str, title: str, text: str, canned: CannedAnswer | None = None
) -> CannedAnswer:
    """Create (or, with `canned`, change) a canned answer: supervisors only."""
    if not agent.is_active or agent.role != SUPERVISION:
        raise Refusal("messaging.supervisors_only")
    if motif not in Motif.values:
        raise Refusal("messaging.motif_unknown", field="motif")
    title = " ".join(str(title or "").split())[:100]
    text = str(text or "").strip()
    if not title or not text:
        raise Refusal("messaging.canned_missing")
    canned = canned or CannedAnswer()
    canned.motif, canned.title, canned.text = motif, title, clean_body(text)
    canned.updated_by, canned.updated_at = agent, clock.now()
    canned.save()
    record(Action.CANNED_ANSWER_SAVED, target=motif, agent=agent.identity(), canned=canned.pk)
    return canned
