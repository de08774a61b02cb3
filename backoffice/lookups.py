"""What the agents' pages read (docs/backoffice.md §3): the look-ups, and the subscriber's and
the company's pages, each a fixed number of queries whatever the data (lists are capped)."""

from dataclasses import dataclass

from django.db.models import Q

from accounts import throttle
from accounts.models import PendingRegistration, Subscriber
from accounts.sessions import open_sessions
from api import tokens as api_tokens
from audit.models import Action, AuditEvent
from backoffice.readable import SUBSCRIBER_NUMBER, described
from companies.identifiers import normalize_company_identifier
from companies.models import Company
from companies.names import query_words
from core import clock
from core.refusals import Refusal
from core.text import normalize_email
from correspondence.models import Message
from habilitations.portfolio.queries import holding
from habilitations.postal.queries import requests_of, requests_on
from habilitations.rights.queries import holders_of

LIMIT = 50
RECENT = 20
LOGIN_EVENTS = (
    Action.LOGIN_FAILED,
    Action.LOGIN_LOCKED,
    Action.LOGIN_SUCCEEDED,
    Action.LOGIN_UNLOCKED,
)


@dataclass
class SubscriberResults:
    subscribers: list
    pending: list


def find_subscribers(query: str) -> SubscriberResults:
    """By e-mail (exact), subscriber number (exact) or name (beginning of the last name, or
    « last first »)."""
    query = " ".join((query or "").split())
    if not query:
        return SubscriberResults([], [])
    if "@" in query:
        email = normalize_email(query)
        return SubscriberResults(
            list(Subscriber.objects.filter(email=email)),
            list(PendingRegistration.objects.filter(email=email)),
        )
    digits = query.replace(" ", "")
    if SUBSCRIBER_NUMBER.fullmatch(digits):
        return SubscriberResults(list(Subscriber.objects.filter(subscriber_number=digits)), [])
    words = query.split(" ")
    condition = Q(last_name__istartswith=words[0])
    if len(words) > 1:
        condition &= Q(first_name__istartswith=words[1]) | Q(last_name__istartswith=query)
    rows = Subscriber.objects.filter(condition).order_by("last_name", "first_name", "pk")
    pending = PendingRegistration.objects.filter(last_name__istartswith=words[0])
    return SubscriberResults(list(rows[:LIMIT]), list(pending.order_by("pk")[:LIMIT]))


def find_companies(query: str) -> list[Company]:
    """By SIREN or IDSP (current or former), else by name: the words of the portfolio's search
    (`companies.names.query_words`), each the beginning of a word of the name."""
    query = (query or "").strip()
    if not query:
        return []
    try:
        identifier = normalize_company_identifier(query)
    except Refusal:
        identifier = None
    if identifier:
        return list(
            Company.objects.filter(Q(identifier=identifier) | Q(previous_identifier=identifier))
        )
    condition = Q()
    for word in query_words(query):
        condition &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    if not condition:
        return []
    return list(Company.objects.filter(condition).order_by("search_name", "pk")[:LIMIT])


def tokens_of(space: Subscriber, limit: int = LIMIT) -> list:
    """The space's API tokens, newest first (live, expired and revoked; never their value)."""
    return list(api_tokens.tokens_of(space)[:limit])


def subscriber_page(space: Subscriber) -> dict:
    trail = AuditEvent.objects.filter(target__in=[space.email, space.subscriber_number])
    return {
        "space": space,
        "lock": throttle.lock_state(space.email),
        "sessions": open_sessions(space),
        "logins": list(trail.filter(action__in=LOGIN_EVENTS)[:RECENT]),
        "tokens": tokens_of(space),
        "now": clock.now(),
        "habilitations": list(
            holding(space)
            .select_related("company")
            .order_by("company__search_name", "service", "elementary_service")[:200]
        ),
        "requests": list(requests_of(space).order_by("-created_at")[:RECENT]),
        "messages": list(
            Message.objects.filter(to=space.email).only("subject", "sent_at", "kind")[:RECENT]
        ),
        "agent_events": described(trail.filter(details__has_key="agent")[:RECENT]),
    }


def company_page(firm: Company) -> dict:
    targets = [firm.identifier, *([firm.previous_identifier] if firm.previous_identifier else [])]
    trail = AuditEvent.objects.filter(target__in=targets)
    return {
        "company": firm,
        # By person, then service, as *Qui a accès* lists them (docs/habilitations.md §2).
        "holders": list(holders_of(firm)[:500]),
        "requests": list(requests_on(firm)[:RECENT]),
        "letters": list(
            Message.objects.filter(siren__in=targets, kind="letter").only(
                "subject", "sent_at", "address", "purpose"
            )[:RECENT]
        ),
        "history": described(trail[: RECENT * 2]),
    }
