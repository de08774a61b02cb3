"""The sessions opened for a space (docs/security.md §8.4). Django's session store cannot be
listed by user, so each login writes a `SubscriberSession` row beside it (in the login's
transaction), logout removes it, ending a space's credentials deletes the sessions themselves
from the store, and the daily retention job purges rows past SESSION_ABSOLUTE_SECONDS
(`accounts.retention.purge_session_records`).

`open_sessions` lists what is really open: the store still has the session, it is not past its
absolute lifetime, and it still carries the space's current session hash (a password or login
e-mail change, or an agent ending the access, changes that hash)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import caches
from django.db import transaction
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

from accounts.models import Subscriber, SubscriberSession
from accounts.signals import credentials_revoked
from core import clock, context

# The agents' page lists at most this many sessions, newest first (a fixed number of queries).
LIMIT = 20
# A User-Agent we cannot describe is shown raw, cut to this length.
RAW_AGENT_CHARS = 120
# First match wins: Edge and Opera also say "Chrome/", Chrome also says "Safari/".
BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
# iPhones also say "Mac OS X", Android also says "Linux".
SYSTEMS = [
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


@dataclass(frozen=True)
class OpenSession:
    opened_at: datetime
    ip_address: str | None
    browser: str
    # The row's id (the person's page ends a session by it; the key is never shown) and
    # whether it is the session asking.
    pk: int | None = None
    current: bool = False


def describe_browser(user_agent: str) -> str:
    """« Firefox sur Linux » from a User-Agent; the raw string (cut) when neither is known."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} sur {system}"
    if browser or system:
        return browser or f"Navigateur sur {system}"
    user_agent = " ".join(user_agent.split())
    if len(user_agent) > RAW_AGENT_CHARS:
        return user_agent[: RAW_AGENT_CHARS - 1] + "…"
    return user_agent


def open_sessions(
    subscriber: Subscriber, limit: int = LIMIT, *, current_key: str | None = None
) -> list[OpenSession]:
    """The space's sessions open now, newest first: two queries at most, whatever the data."""
    now = clock.now()
    since = now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    rows = list(
        SubscriberSession.objects.filter(subscriber=subscriber, opened_at__gt=since).order_by(
            "-opened_at", "-pk"
        )[:limit]
    )
    if not rows:
        return []
    stored = _stored_data([row.session_key for row in rows], now)
    hashes = [subscriber.get_session_auth_hash(), *subscriber.get_session_auth_fallback_hash()]
    return [
        OpenSession(
            row.opened_at,
            row.ip_address,
            describe_browser(row.user_agent),
            row.pk,
            current_key is not None and row.session_key == current_key,
        )
        for row in rows
        if _belongs(stored.get(row.session_key), subscriber, hashes)
    ]


def end_sessions(subscriber: Subscriber, *, keep: str | None = None) -> int:
    """Delete the space's sessions (all but `keep`) from the session store and from the table;
    returns how many. For a cached store the cache entries go once the transaction commits (the
    changed session hash already refuses them meanwhile)."""
    rows = SubscriberSession.objects.filter(subscriber=subscriber)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    if keys:
        _delete_from_store(keys)
        SubscriberSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_session(subscriber: Subscriber, pk: int, *, keep: str | None) -> bool:
    """« Mettre fin à cette session »: one of the space's own sessions (not `keep`, the one
    asking), deleted from the store and the table at once: its next request, in any process,
    finds no session."""
    rows = SubscriberSession.objects.filter(subscriber=subscriber, pk=pk)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    if keys:
        _delete_from_store(keys)
        SubscriberSession.objects.filter(session_key__in=keys).delete()
    return bool(keys)


def session_rekeyed(subscriber: Subscriber, old_key: str | None, new_key: str | None) -> None:
    """After a password or login e-mail change, the web layer keeps the current session under a
    new key (Django's `update_session_auth_hash`): the table follows it, and the space's other
    sessions are deleted (their hash no longer matches anyway)."""
    with transaction.atomic():
        if old_key and new_key:
            SubscriberSession.objects.filter(session_key=old_key).update(session_key=new_key)
        end_sessions(subscriber, keep=new_key)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.opened")
def _opened(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key is None or not isinstance(user, Subscriber):
        return
    # Logging in again as the same person in the same session keeps its key (Django cycles it
    # only for a new session): the row is then updated, as the session's login time is.
    row = SubscriberSession(
        subscriber=user,
        session_key=key,
        opened_at=clock.now(),
        ip_address=context.current().ip_address,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
    )
    SubscriberSession.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["session_key"],
        update_fields=["subscriber", "opened_at", "ip_address", "user_agent"],
    )


@receiver(user_logged_out, dispatch_uid="accounts.sessions.closed")
def _closed(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key is not None:
        SubscriberSession.objects.filter(session_key=key).delete()


@receiver(credentials_revoked, dispatch_uid="accounts.sessions.revoked")
def _revoked(sender, subscriber, reason, **kwargs):
    end_sessions(subscriber)


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _stored_data(keys: list[str], now: datetime) -> dict[str, dict]:
    """What the store holds for these keys (unexpired ones only). The database engines (`db`,
    `cached_db`, which writes every change to the database too): one query."""
    store = _store()
    if hasattr(store, "get_model_class"):
        decoder = store()
        found = store.get_model_class().objects.filter(session_key__in=keys, expire_date__gt=now)
        return {
            key: decoder.decode(data)
            for key, data in found.values_list("session_key", "session_data")
        }
    return {key: data for key in keys if (data := store(key).load())}


def _belongs(data: dict | None, subscriber: Subscriber, hashes: list[str]) -> bool:
    if not data or str(data.get(SESSION_KEY)) != str(subscriber.pk):
        return False
    stored_hash = data.get(HASH_SESSION_KEY) or ""
    return any(constant_time_compare(stored_hash, known) for known in hashes)


def _delete_from_store(keys: list[str]) -> None:
    store = _store()
    if hasattr(store, "get_model_class"):
        store.get_model_class().objects.filter(session_key__in=keys).delete()
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix is not None:
        cache = caches[settings.SESSION_CACHE_ALIAS]
        transaction.on_commit(lambda: cache.delete_many([prefix + key for key in keys]))
    elif not hasattr(store, "get_model_class"):
        for key in keys:  # the file engine; signed cookies cannot be deleted (the hash ends them)
            store().delete(key)
