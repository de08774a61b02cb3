"""The reads of the secure messaging (docs/messaging.md). The company's side never reads
InternalNote: only `notes_of`, for the back office, does."""

from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce

from companies.models import Company
from habilitations.catalogue import MESSAGERIE
from habilitations.models import Habilitation, State
from messaging.models import (
    Attachment,
    CannedAnswer,
    EmailOptOut,
    InternalNote,
    Message,
    ReadMark,
    Thread,
    ThreadState,
)


def _unread(subscriber) -> Q:
    """A thread the administration wrote in since the person last read it (or never read)."""
    read_since = ReadMark.objects.filter(
        subscriber=subscriber,
        thread=OuterRef("pk"),
        read_at__gte=OuterRef("last_admin_message_at"),
    )
    return Q(last_admin_message_at__isnull=False) & ~Exists(read_since)


def threads_of(company: Company, subscriber=None) -> QuerySet[Thread]:
    """The company's threads, each with `unread` (for `subscriber`) and `message_count`;
    unread first, then by last message. A queryset: slice it or give it to a Paginator."""
    counts = (
        Message.objects.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    threads = Thread.objects.filter(company=company).annotate(
        message_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )
    if subscriber is None:
        return threads.order_by("-last_message_at", "-pk")
    unread = ExpressionWrapper(_unread(subscriber), output_field=BooleanField())
    return threads.annotate(unread=unread).order_by("-unread", "-last_message_at", "-pk")


def threads_page(company: Company, subscriber, number, size: int) -> Page:
    """One page of `threads_of(company, subscriber)` for « Page x sur y », in ONE query: the
    total comes with the rows (`COUNT(*) OVER ()`, computed before the page is cut), not from a
    second `COUNT(*)`. A number past the last page gives the last page (two more queries: the
    rare case of a stale link)."""
    threads = threads_of(company, subscriber)
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    rows = list(threads.annotate(total=Window(Count("pk")))[(number - 1) * size : number * size])
    if not rows and number > 1:
        return Paginator(threads, size).get_page(number)
    paginator = Paginator(threads, size)
    paginator.__dict__["count"] = rows[0].total if rows else 0  # Paginator.count, known already
    return Page(rows, number, paginator)


def thread_for(subscriber, company: Company, thread_id) -> Thread | None:
    """The thread `thread_id` if it is `company`'s, else None. The caller has checked
    `messaging.access.may_use_messaging(subscriber, company)` first."""
    try:
        thread_id = int(thread_id)
    except (TypeError, ValueError):
        return None
    return Thread.objects.filter(pk=thread_id, company=company).select_related("company").first()


def attachment_for(company: Company, thread_id, attachment_id) -> Attachment | None:
    """The attachment `attachment_id` of the thread `thread_id` if that thread is `company`'s,
    else None (one query). The caller has checked `may_use_messaging` first."""
    try:
        thread_id, attachment_id = int(thread_id), int(attachment_id)
    except (TypeError, ValueError):
        return None
    return Attachment.objects.filter(
        pk=attachment_id, message__thread_id=thread_id, message__thread__company=company
    ).first()


def attachment_of(thread: Thread, attachment_id) -> Attachment | None:
    """An attachment of one of the thread's messages, or None (another thread's, or none)."""
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        return None
    return (
        Attachment.objects.filter(pk=attachment_id, message__thread=thread)
        .select_related("message__thread__company")
        .first()
    )


def messages_of(thread: Thread) -> QuerySet[Message]:
    """The thread's messages, oldest first, with their attachments (two queries)."""
    return (
        Message.objects.filter(thread=thread)
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def _messagerie_companies(subscriber):
    return Habilitation.objects.filter(
        subscriber=subscriber, elementary_service=MESSAGERIE, state=State.ACTIVE
    ).values("company_id")


def unread_dossiers(subscriber) -> QuerySet[Company]:
    """The companies whose Messagerie the person holds with at least one thread unread by them:
    one query whatever the number of dossiers (« Messages non lus : 3 dossiers »)."""
    if subscriber.frozen_at is not None:
        return Company.objects.none()
    unread = Thread.objects.filter(_unread(subscriber), company=OuterRef("pk"))
    return (
        Company.objects.filter(pk__in=_messagerie_companies(subscriber), frozen_at__isnull=True)
        .filter(Exists(unread))
        .order_by("name", "pk")
    )


def unread_count_on(subscriber, company: Company) -> int:
    """How many of the company's threads the person has not read since the last answer."""
    return Thread.objects.filter(_unread(subscriber), company=company).count()


def has_email_opt_out(subscriber) -> bool:
    return EmailOptOut.objects.filter(subscriber=subscriber).exists()


# --- The administration's side ---------------------------------------------------------


class Queue(StrEnum):
    NEW = "new"
    MINE = "mine"
    WAITING_COMPANY = "waiting_company"
    CLOSED = "closed"


def office_queue(office_code: str | None, kind: str, agent) -> QuerySet[Thread]:
    """A queue of an office (every office's for None: a national role), oldest first: *new*
    and *mine* by the oldest message waiting for an answer, the others by last message."""
    threads = Thread.objects.select_related("company", "assigned_agent")
    if office_code:
        threads = threads.filter(office=office_code)
    kind = Queue(kind)
    if kind == Queue.NEW:
        return threads.filter(state=ThreadState.NEW).order_by("awaiting_since", "pk")
    if kind == Queue.MINE:
        return threads.filter(state=ThreadState.ASSIGNED, assigned_agent=agent).order_by(
            "awaiting_since", "pk"
        )
    state = ThreadState.WAITING_COMPANY if kind == Queue.WAITING_COMPANY else ThreadState.CLOSED
    return threads.filter(state=state).order_by("last_message_at", "pk")


def oldest_unanswered_by_queue(office_code: str | None = None) -> list[dict]:
    """For a supervisor: per office and state waiting for the administration (new, assigned),
    how many threads and since when the oldest unanswered message waits (`oldest`)."""
    threads = Thread.objects.filter(
        state__in=[ThreadState.NEW, ThreadState.ASSIGNED], awaiting_since__isnull=False
    )
    if office_code:
        threads = threads.filter(office=office_code)
    return list(
        threads.order_by()
        .values("office", "state")
        .annotate(count=Count("pk"), oldest=Min("awaiting_since"))
        .order_by("office", "state")
    )


def thread_by_id(thread_id) -> Thread | None:
    """For the back office: a thread by its number, with its company and agent (the caller
    then asks `access.agent_may_handle`)."""
    try:
        thread_id = int(thread_id)
    except (TypeError, ValueError):
        return None
    return Thread.objects.select_related("company", "assigned_agent").filter(pk=thread_id).first()


def notes_of(thread: Thread) -> QuerySet[InternalNote]:
    return InternalNote.objects.filter(thread=thread).select_related("agent").order_by("created_at")


def canned_answer(canned_id) -> CannedAnswer | None:
    try:
        canned_id = int(canned_id)
    except (TypeError, ValueError):
        return None
    return CannedAnswer.objects.filter(pk=canned_id).first()


def messaging_users_of(identifiers) -> QuerySet[Habilitation]:
    """The active holders of these companies' Messagerie who may use it now (space active and
    not frozen, company not frozen: `access.may_use_messaging`), one row a holder and company:
    the API chains its webhooks onto it (`message.answered`), in one query."""
    return Habilitation.objects.filter(
        elementary_service=MESSAGERIE,
        state=State.ACTIVE,
        company__identifier__in=list(identifiers),
        company__frozen_at__isnull=True,
        subscriber__is_active=True,
        subscriber__frozen_at__isnull=True,
    )


def canned_answers(motif: str | None = None) -> QuerySet[CannedAnswer]:
    answers = CannedAnswer.objects.all()
    if motif:
        answers = answers.filter(motif=motif)
    return answers.order_by("motif", "title")
