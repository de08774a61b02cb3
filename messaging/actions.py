"""The writes of the company's side (docs/messaging.md): each in one transaction, audited, a
refusal leaving nothing behind. Agents' writes are in messaging.agent_actions."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from audit.models import Action
from audit.trail import record
from companies.models import Company
from core import clock
from core.refusals import Refusal
from messaging.access import ensure_may_use_messaging, role_label
from messaging.attachments import check_files
from messaging.models import EmailOptOut, Message, ReadMark, Side, Thread, ThreadState
from messaging.motifs import Motif
from messaging.offices import office_for
from messaging.writing import (
    atomic_with_files,
    clean_body,
    clean_subject,
    count_company_message,
    store_message,
)


def _locked(thread: Thread) -> Thread:
    """The thread, locked, with its company read again (a freeze since the page was read)."""
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("company").get(pk=thread.pk)
    )


def _fresh_company(company: Company) -> Company:
    return Company.objects.get(pk=company.pk)


def start_thread(subscriber, company: Company, motif: str, subject: str, body: str, files=()):
    """*Écrire*: a new thread to the company's office, with its first message."""
    company = _fresh_company(company)
    ensure_may_use_messaging(subscriber, company)
    if motif not in Motif.values:
        raise Refusal("messaging.motif_unknown", field="motif")
    subject, body = clean_subject(subject), clean_body(body)
    checked = check_files(files)
    with atomic_with_files() as stored:
        count_company_message(company, subscriber, checked)
        now = clock.now()
        thread = Thread.objects.create(
            company=company,
            office=office_for(company).code,
            motif=motif,
            subject=subject,
            state=ThreadState.NEW,
            created_by=subscriber,
            created_at=now,
            last_message_at=now,
            last_company_message_at=now,
            awaiting_since=now,
        )
        message = store_message(
            thread,
            side=Side.COMPANY,
            body=body,
            files=checked,
            author_name=subscriber.full_name,
            author_role=role_label(subscriber, company),
            stored=stored,
            subscriber=subscriber,
        )
        ReadMark.objects.create(subscriber=subscriber, thread=thread, read_at=now)
        record(
            Action.MESSAGE_THREAD_STARTED,
            actor=subscriber,
            target=company.identifier,
            thread=thread.pk,
            message=message.pk,
            office=thread.office,
            motif=motif,
            attachments=len(checked),
        )
    return thread


def reply(subscriber, thread: Thread, body: str, files=()) -> Message:
    """The company's side answers a thread. A closed thread may be answered once within
    MESSAGING_REOPEN_DAYS of its closing, which reopens it; after that, a new thread is needed."""
    body = clean_body(body)
    checked = check_files(files)
    with atomic_with_files() as stored:
        thread = _locked(thread)
        ensure_may_use_messaging(subscriber, thread.company)
        now = clock.now()
        reopening = thread.state == ThreadState.CLOSED
        if reopening and (thread.reopen_until is None or now > thread.reopen_until):
            raise Refusal("messaging.closed")
        count_company_message(thread.company, subscriber, checked)
        message = store_message(
            thread,
            side=Side.COMPANY,
            body=body,
            files=checked,
            author_name=subscriber.full_name,
            author_role=role_label(subscriber, thread.company),
            stored=stored,
            subscriber=subscriber,
        )
        if thread.state in (ThreadState.CLOSED, ThreadState.WAITING_COMPANY):
            thread.state = ThreadState.ASSIGNED if thread.assigned_agent_id else ThreadState.NEW
        if reopening:
            thread.closed_at, thread.closed_by, thread.reopen_until = None, "", None
            thread.reopened_at = now
            record(
                Action.THREAD_REOPENED,
                actor=subscriber,
                target=thread.company.identifier,
                thread=thread.pk,
            )
        thread.last_message_at = thread.last_company_message_at = now
        thread.awaiting_since = thread.awaiting_since or now
        thread.save()
        ReadMark.objects.update_or_create(
            subscriber=subscriber, thread=thread, defaults={"read_at": now}
        )
        record(
            Action.MESSAGE_SENT,
            actor=subscriber,
            target=thread.company.identifier,
            thread=thread.pk,
            message=message.pk,
            attachments=len(checked),
        )
    return message


def close_thread(thread: Thread, side: Side, now) -> None:
    """Close a locked thread; it may be answered once by the company until `reopen_until`
    (not if it was reopened already)."""
    thread.state, thread.closed_at, thread.closed_by = ThreadState.CLOSED, now, side
    thread.reopen_until = (
        None
        if thread.reopened_at is not None
        else now + timedelta(days=settings.MESSAGING_REOPEN_DAYS)
    )
    thread.awaiting_since = None
    thread.save()


@transaction.atomic
def close_by_company(subscriber, thread: Thread) -> Thread:
    thread = _locked(thread)
    ensure_may_use_messaging(subscriber, thread.company)
    if thread.state == ThreadState.CLOSED:
        raise Refusal("messaging.closed")
    close_thread(thread, Side.COMPANY, clock.now())
    record(
        Action.THREAD_CLOSED,
        actor=subscriber,
        target=thread.company.identifier,
        thread=thread.pk,
        side=Side.COMPANY,
    )
    return thread


@transaction.atomic
def mark_read(subscriber, thread: Thread) -> None:
    """The person has read the thread up to now (their unread counts drop). Not audited: it
    is the consequence of a page view, not a change anyone decides."""
    ensure_may_use_messaging(subscriber, thread.company)
    ReadMark.objects.update_or_create(
        subscriber=subscriber, thread=thread, defaults={"read_at": clock.now()}
    )


@transaction.atomic
def set_email_opt_out(subscriber, off: bool) -> None:
    """« Ne plus recevoir ces courriels » (`off=True`) or receive them again (`off=False`)."""
    if off:
        _, changed = EmailOptOut.objects.get_or_create(
            subscriber=subscriber, defaults={"created_at": clock.now()}
        )
    else:
        changed = EmailOptOut.objects.filter(subscriber=subscriber).delete()[0] > 0
    if changed:
        record(Action.MESSAGING_EMAILS_CHANGED, actor=subscriber, emails="off" if off else "on")
