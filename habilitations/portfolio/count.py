"""How many entries a portfolio holds, kept in the shared cache (docs/habilitations.md §10).

Counting 100,000 index entries is the costliest part of a large portfolio's pages, and the
number changes only when a habilitation of that person changes. With a shared cache
(`PORTFOLIO_COUNT_CACHE`, Redis in production) the count is kept under a per-person token;
`portfolio_sync.refresh` gives the person a new token once its transaction commits, so a
count read before the change is never served after it (a bulk rebuild renews one token of
every portfolio). Without a shared cache (a single process, the tests) every page counts.
"""

import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

TOKEN_SECONDS = 7 * 24 * 3600
GENERATION_KEY = "portfolio:generation"


def _cache():
    alias = settings.PORTFOLIO_COUNT_CACHE
    return caches[alias] if alias else None


def _token_key(subscriber_id: int) -> str:
    return f"portfolio:token:{subscriber_id}"


def counted(subscriber_id: int, kind: str, count: Callable[[], int]) -> int:
    """`count()`, or the number kept for this person's portfolio (`kind`: which entries)."""
    cache = _cache()
    if cache is None:
        return count()
    token_key = _token_key(subscriber_id)
    tokens = cache.get_many([GENERATION_KEY, token_key])
    generation = tokens.get(GENERATION_KEY) or _new_token(cache, GENERATION_KEY)
    token = tokens.get(token_key) or _new_token(cache, token_key)
    key = f"portfolio:count:{subscriber_id}:{kind}:{generation}:{token}"
    n = cache.get(key)
    if n is None:
        n = count()
        cache.set(key, n, settings.PORTFOLIO_COUNT_SECONDS)
    return n


def _new_token(cache, key: str) -> str:
    token = secrets.token_hex(8)
    if cache.add(key, token, TOKEN_SECONDS):
        return token
    return cache.get(key, token)  # another process gave one first


def forget(subscriber_ids: Iterable[int]) -> None:
    """These people's kept counts are no longer read: at once (so the changing transaction
    counts its own changes) and again once it commits (a count read meanwhile by another
    process, from before the change, is dropped then)."""
    cache = _cache()
    ids = set(subscriber_ids)
    if cache is None or not ids:
        return
    keys = [_token_key(i) for i in ids]
    cache.delete_many(keys)  # this transaction's own pages count its changes
    transaction.on_commit(lambda: cache.delete_many(keys))  # everyone's, once committed


def forget_all() -> None:
    """Once the current transaction commits, no kept count is read any more (a bulk rebuild)."""
    cache = _cache()
    if cache is not None:
        transaction.on_commit(lambda: cache.delete(GENERATION_KEY))
