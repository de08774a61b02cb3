"""`Idempotency-Key` on every POST (docs/api.md §6): the first answer to a key is kept (per
credential, `API_IDEMPOTENCY_HOURS`); the same key with the same request gets that answer
again, with `Idempotent-Replayed: true`; the same key with another request is refused.

A call takes its key before it runs: it inserts the key's row (unique per credential and key)
in the transaction that then runs the call and writes the answer into that row. Of two calls
with one key at once, the second waits on the unique index until the first commits, then
replays the first's answer (or refuses another request) without having run; if the first
rolls back, the second takes the key and runs. An answer holding a secret (a webhook's) is
kept sealed (`keep_sealed`)."""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse

from api import problems
from api.models import IdempotentAnswer
from core import clock, sealing

HEADER = "Idempotency-Key"
KEY = re.compile(r"[\x21-\x7e]{1,255}")
SEALING_PURPOSE = "api-idempotent-answer"
_SEALED = "_idempotent_answer_sealed"


class _Raced(Exception):
    pass


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path()):
        digest.update(part.encode() + b"\x00")
    if request.content_type == "multipart/form-data":
        # The body was read as it was parsed (Django keeps no copy of a multipart body): the
        # fields and each file's name and content stand for it.
        for name, values in sorted(request.POST.lists()):
            for value in values:
                digest.update(f"{name}={value}".encode() + b"\x00")
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"{name}:{upload.name}:{upload.size}".encode() + b"\x00")
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def keep_sealed(request) -> None:
    """The answer to this call holds a secret shown once (a webhook's): if kept for its
    `Idempotency-Key`, it is kept sealed, never in clear in the database."""
    setattr(request, _SEALED, True)


def _replay(answer: IdempotentAnswer, fingerprint: str, path: str) -> HttpResponse:
    if answer.fingerprint != fingerprint:
        return problems.from_exception(problems.problem("api.idempotency_key_reused"), path)
    body = bytes(answer.body)
    if answer.sealed:
        # Unsealed with the key it was sealed with: a new SECRET_KEY also ends every token,
        # so no caller could present the credential this answer was kept for.
        body = (sealing.unseal(body.decode(), SEALING_PURPOSE) or "").encode()
    response = HttpResponse(body, status=answer.status, content_type=answer.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _since():
    return clock.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)


def _kept(owner: str, key: str):
    """The answer kept under this key, if any (the first look, before taking the key)."""
    return IdempotentAnswer.objects.filter(owner=owner, key=key, created_at__gt=_since()).first()


def _take(owner: str, key: str, fingerprint: str) -> IdempotentAnswer:
    """The key's row, inserted before the call runs (the caller's transaction holds it until it
    commits); `_Raced` if another call holds or held the key."""
    # An expired answer under this key gives way to the new call.
    IdempotentAnswer.objects.filter(owner=owner, key=key, created_at__lte=_since()).delete()
    try:
        with transaction.atomic():
            return IdempotentAnswer.objects.create(
                owner=owner,
                key=key,
                fingerprint=fingerprint,
                status=0,  # the call is running; written below in the same transaction
                content_type="",
                body=b"",
                created_at=clock.now(),
            )
    except IntegrityError as exc:
        raise _Raced from exc


def _keep(row: IdempotentAnswer, request, response: HttpResponse) -> None:
    body = response.content
    row.sealed = getattr(request, _SEALED, False)
    if row.sealed:
        body = sealing.seal(body.decode(), SEALING_PURPOSE).encode()
    row.status = response.status_code
    row.content_type = response.get("Content-Type", "")
    row.body = body
    row.save(update_fields=["status", "content_type", "body", "sealed"])


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
            row = _take(principal.digest, key, fingerprint)
            response = call()
            if response.status_code < 500 and response.status_code != 429:
                _keep(row, request, response)
            else:
                row.delete()  # not an answer to keep: the key is free again
    except _Raced:
        # The other call committed its answer under this key (had it rolled back, this
        # call would have taken the key): the same request replays it, another is refused.
        answer = _kept(principal.digest, key)
        if answer is None:  # pragma: no cover - the other call's answer expired meanwhile
            return problems.from_exception(
                problems.problem("api.idempotency_key_reused"), request.path
            )
        return _replay(answer, fingerprint, request.path)
    return response


def purge_expired() -> int:
    deleted, _ = IdempotentAnswer.objects.filter(created_at__lte=_since()).delete()
    return deleted
