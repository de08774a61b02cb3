"""`Idempotency-Key` on every POST (docs/api.md §6): the first answer to a key is kept (per
credential, `API_IDEMPOTENCY_HOURS`); the same key with the same request gets that answer
again, with `Idempotent-Replayed: true`; the same key with another request is refused.

The call and the keeping of its answer are one transaction: of two identical calls at once,
the second waits on the key's unique index, then is rolled back whole and answered with the
first's answer."""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse

from api import problems
from api.models import IdempotentAnswer
from core import clock

HEADER = "Idempotency-Key"
KEY = re.compile(r"[\x21-\x7e]{1,255}")


class _Raced(Exception):
    pass


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path()):
        digest.update(part.encode() + b"\x00")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(answer: IdempotentAnswer, fingerprint: str, path: str) -> HttpResponse:
    if answer.fingerprint != fingerprint:
        return problems.from_exception(problems.problem("api.idempotency_key_reused"), path)
    response = HttpResponse(
        bytes(answer.body), status=answer.status, content_type=answer.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _kept(owner: str, key: str):
    since = clock.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    return IdempotentAnswer.objects.filter(owner=owner, key=key, created_at__gt=since).first()


def run(request, principal, call) -> HttpResponse:
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None or principal is None:
        return call()
    if not KEY.fullmatch(key):
        return problems.from_exception(
            problems.problem("api.idempotency_key_invalid"), request.path
        )
    fingerprint = _fingerprint(request)
    if (answer := _kept(principal.digest, key)) is not None:
        return _replay(answer, fingerprint, request.path)
    try:
        with transaction.atomic():
            response = call()
            if response.status_code < 500 and response.status_code != 429:
                # An expired answer under this key gives way to the new one.
                IdempotentAnswer.objects.filter(owner=principal.digest, key=key).delete()
                try:
                    with transaction.atomic():
                        IdempotentAnswer.objects.create(
                            owner=principal.digest,
                            key=key,
                            fingerprint=fingerprint,
                            status=response.status_code,
                            content_type=response.get("Content-Type", ""),
                            body=response.content,
                            created_at=clock.now(),
                        )
                except IntegrityError as exc:
                    raise _Raced from exc
    except _Raced:
        answer = _kept(principal.digest, key)
        if answer is None:  # pragma: no cover - the other call's answer expired meanwhile
            return problems.from_exception(
                problems.problem("api.idempotency_key_reused"), request.path
            )
        return _replay(answer, fingerprint, request.path)
    return response


def purge_expired() -> int:
    before = clock.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotentAnswer.objects.filter(created_at__lte=before).delete()
    return deleted
