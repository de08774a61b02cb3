"""The one table of limits (docs/security.md §13): every rate limit the flows apply is named in
`settings.RATE_LIMITS` as "count/period" ("5/15m", "20/1d"), and counted here.

Counters are fixed windows of the limit's period, numbered from the clock (`core.clock`), so
tests move time instead of sleeping. They live in a store every app process shares: Redis
(Django's `RedisCache`, whose INCR is atomic; a hit is one round trip through
`core.redis_store`) when `REDIS_URL` is set, else a database table
(`RateCounter`, incremented by one UPDATE under the row's lock). `hit` counts and answers in
one atomic step, so that a burst of simultaneous requests cannot slip past a limit: count
first, then decide, then do the costly or risky thing.

Keys (e-mails, addresses) are stored as SHA-256 digests, never in clear.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F

from core import clock, redis_store

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        match = _RATE.match(text)
        if not match:
            raise ValueError(f"A rate reads like '5/15m' or '20/1d', not {text!r}")
        count, number, unit = match.groups()
        return cls(int(count), int(number or 1) * _UNITS[unit])


def rate(name: str) -> Rate:
    return Rate.parse(settings.RATE_LIMITS[name])


@dataclass(frozen=True)
class Usage:
    """Where a counter stands in its window: `count` so far (this hit included), the limit,
    and the seconds until the window ends."""

    count: int
    limit: int
    retry_after: int

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def reached(self) -> bool:
        """The next hit would exceed it."""
        return self.count >= self.limit

    @property
    def retry_minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def _window(r: Rate) -> tuple[int, int]:
    """(window number, seconds left in it)."""
    now = int(clock.now().timestamp())
    return now // r.seconds, r.seconds - now % r.seconds


def _digest(name: str, key: str, window: int) -> str:
    raw = f"{name}\x00{key}\x00{window}".encode()
    return f"rl:{name}:{hashlib.sha256(raw).hexdigest()[:40]}"


def _uses_cache() -> bool:
    return bool(getattr(settings, "RATE_LIMIT_CACHE", ""))


def _cache():
    return caches[settings.RATE_LIMIT_CACHE]


def hit(name: str, key: str, amount: int = 1) -> Usage:
    """Count `amount` (negative gives back) for `key` under limit `name`; the usage after it."""
    r = rate(name)
    window, left = _window(r)
    digest = _digest(name, key, window)
    if _uses_cache():
        count = _cache_hit(digest, amount, r.seconds + 60)
    else:
        count = _db_hit(digest, amount, clock.now().timestamp() + left)
    return Usage(count=count, limit=r.count, retry_after=left)


def hit_many(counters: list[tuple[str, str]]) -> list[Usage]:
    """Count one hit against each (name, key), in one step: one Redis round trip, or one
    transaction of a constant number of queries (a call counted per space and per address costs
    what a call counted once did)."""
    windows = [(rate(name), name, key) for name, key in counters]
    now = clock.now().timestamp()
    digests, lefts = [], []
    for r, name, key in windows:
        window, left = _window(r)
        digests.append(_digest(name, key, window))
        lefts.append(left)
    if not _uses_cache():
        counts = _db_hit_many(digests, [now + left for left in lefts])
    elif (kept := redis_store.client(settings.RATE_LIMIT_CACHE)) is not None:
        redis_client, cache = kept
        pipe = redis_client.pipeline(transaction=True)
        for digest, (r, _, _) in zip(digests, windows, strict=True):
            key = cache.make_and_validate_key(digest)
            pipe.set(key, 0, ex=r.seconds + 60, nx=True)
            pipe.incrby(key, 1)
        counts = pipe.execute()[1::2]
    else:
        counts = [
            _cache_hit(digest, 1, r.seconds + 60)
            for digest, (r, _, _) in zip(digests, windows, strict=True)
        ]
    return [
        Usage(count=count, limit=r.count, retry_after=left)
        for count, (r, _, _), left in zip(counts, windows, lefts, strict=True)
    ]


def _cache_hit(digest: str, amount: int, timeout: int) -> int:
    kept = redis_store.client(settings.RATE_LIMIT_CACHE)
    if kept is not None:  # Redis: one round trip, atomic (MULTI: made if new, then counted)
        redis_client, cache = kept
        key = cache.make_and_validate_key(digest)
        pipe = redis_client.pipeline(transaction=True)
        pipe.set(key, 0, ex=timeout, nx=True)
        pipe.incrby(key, amount)
        return pipe.execute()[1]
    cache = _cache()
    cache.add(digest, 0, timeout=timeout)
    try:
        return cache.incr(digest, amount)
    except ValueError:  # expired between add and incr
        cache.add(digest, amount, timeout=timeout)
        return amount


def peek(name: str, key: str) -> Usage:
    r = rate(name)
    window, left = _window(r)
    digest = _digest(name, key, window)
    if _uses_cache():
        count = _cache().get(digest, 0)
    else:
        from core.models import RateCounter

        count = RateCounter.objects.filter(key=digest).values_list("count", flat=True).first() or 0
    return Usage(count=count, limit=r.count, retry_after=left)


def clear(name: str, key: str) -> None:
    """Forget the current window's count (e.g. after a successful login)."""
    r = rate(name)
    window, _ = _window(r)
    digest = _digest(name, key, window)
    if _uses_cache():
        _cache().delete(digest)
    else:
        from core.models import RateCounter

        RateCounter.objects.filter(key=digest).delete()


def _db_hit(digest: str, amount: int, ends_at: float) -> int:
    from datetime import UTC, datetime

    from core.models import RateCounter

    ends = datetime.fromtimestamp(ends_at, tz=UTC)
    for _ in range(3):
        try:
            with transaction.atomic():
                updated = RateCounter.objects.filter(key=digest).update(count=F("count") + amount)
                if not updated:
                    RateCounter.objects.create(key=digest, count=amount, expires_at=ends)
                    return amount
                return RateCounter.objects.get(key=digest).count
        except IntegrityError:  # another process created the row first: update it
            continue
    raise RuntimeError("rate counter contention")


def _db_hit_many(digests: list[str], ends_at: list[float]) -> list[int]:
    from datetime import UTC, datetime

    from core.models import RateCounter

    for _ in range(3):
        try:
            with transaction.atomic():
                updated = RateCounter.objects.filter(key__in=digests).update(count=F("count") + 1)
                counts = (
                    dict(RateCounter.objects.filter(key__in=digests).values_list("key", "count"))
                    if updated
                    else {}  # a first hit in every window: nothing to read back
                )
                missing = [
                    RateCounter(
                        key=digest, count=1, expires_at=datetime.fromtimestamp(ends, tz=UTC)
                    )
                    for digest, ends in zip(digests, ends_at, strict=True)
                    if digest not in counts
                ]
                RateCounter.objects.bulk_create(missing)
                counts.update((row.key, 1) for row in missing)
                return [counts[digest] for digest in digests]
        except IntegrityError:  # another process created a row first: count again
            continue
    raise RuntimeError("rate counter contention")


def purge_expired() -> int:
    """Delete the database counters of past windows (the retention command runs it)."""
    from core.models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted
