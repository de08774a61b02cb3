"""The one-time secret every flow uses (core.one_time, docs/security.md §5)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from accounts.models import EmailChangeRequest, PasswordResetRequest
from core import clock, codes, one_time
from core.one_time import OneTimeSecret, Outcome
from tests.factories import SubscriberFactory
from tests.helpers import CURRENT_TIME

CODE = OneTimeSecret("test-code", attempts_field="failed_attempts")
LINK = OneTimeSecret("test-link", hash_field="token_hash", length=codes.TOKEN_LENGTH)


@pytest.fixture
def subscriber(db):
    return SubscriberFactory(email="lila@example.fr")


def _code_row(subscriber, minutes=30):
    code, fields = CODE.issue(subscriber.pk)
    now = clock.now()
    row = EmailChangeRequest.objects.create(
        subscriber=subscriber,
        new_email="new@example.fr",
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
        **fields,
    )
    return code, row


def _link_row(subscriber):
    token, fields = LINK.issue(subscriber.pk)
    now = clock.now()
    row = PasswordResetRequest.objects.create(
        subscriber=subscriber, created_at=now, expires_at=now + timedelta(minutes=30), **fields
    )
    return token, row


def test_only_a_keyed_purpose_bound_hash_is_stored(subscriber, settings):
    code, row = _code_row(subscriber)
    assert len(code) == codes.CODE_LENGTH and code not in row.code_hash
    assert row.code_hash == codes.hash_code(code, f"test-code:{subscriber.pk}")
    # Another purpose, another row, another key: the hash is worthless.
    assert not OneTimeSecret("other").matches(code, row.code_hash, subscriber.pk)
    assert not CODE.matches(code, row.code_hash, subscriber.pk + 1)
    assert CODE.check(row, code, subscriber.pk + 1).outcome is Outcome.WRONG
    settings.SECRET_KEY = "another key " * 5
    assert not CODE.matches(code, row.code_hash, subscriber.pk)


def test_the_comparison_is_constant_time(subscriber, monkeypatch):
    code, row = _code_row(subscriber)
    compared = []
    real = codes.hmac.compare_digest
    # A spy, not a fake: the real comparison runs; the test sees which function compared.
    monkeypatch.setattr(
        codes.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b)
    )
    assert CODE.check(row, code, subscriber.pk).ok
    assert compared == [(codes.hash_code(code, f"test-code:{subscriber.pk}"), row.code_hash)]


def test_a_secret_expires(subscriber):
    with time_machine.travel(CURRENT_TIME, tick=False):
        code, row = _code_row(subscriber, minutes=30)
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=29), tick=False):
        assert CODE.check(row, code, subscriber.pk).ok
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=30), tick=False):
        assert CODE.check(row, code, subscriber.pk).outcome is Outcome.EXPIRED
        # Expired, a wrong code is not even counted.
        CODE.check(row, "wrong", subscriber.pk)
        row.refresh_from_db()
        assert row.failed_attempts == 0


def test_wrong_codes_are_counted_and_capped(subscriber):
    code, row = _code_row(subscriber)
    for left in range(settings.MAX_CODE_ATTEMPTS - 1, 0, -1):
        check = CODE.check(row, "wrong", subscriber.pk)
        assert (check.outcome, check.left) == (Outcome.WRONG, left)
    assert CODE.check(row, "wrong", subscriber.pk).outcome is Outcome.DEAD
    # Dead: even the right code no longer works.
    row = EmailChangeRequest.objects.get(pk=row.pk)
    assert row.failed_attempts == settings.MAX_CODE_ATTEMPTS
    assert CODE.check(row, code, subscriber.pk).outcome is Outcome.DEAD


def test_wrong_link_tokens_are_not_counted(subscriber):
    token, row = _link_row(subscriber)
    for _ in range(settings.MAX_CODE_ATTEMPTS * 2):
        assert LINK.check(row, "A" * 32, subscriber.pk).outcome is Outcome.WRONG
    assert LINK.check(row, token, subscriber.pk).ok
    assert len(token) == codes.TOKEN_LENGTH


def test_no_row_or_no_secret_is_unknown(subscriber):
    assert CODE.check(None, "x").outcome is Outcome.UNKNOWN
    _, row = _code_row(subscriber)
    row.code_hash = ""
    assert CODE.check(row, "").outcome is Outcome.UNKNOWN
    assert not CODE.matches("", "")


def test_a_secret_is_consumed_once(subscriber):
    _, row = _code_row(subscriber)
    stale = EmailChangeRequest.objects.get(pk=row.pk)
    assert CODE.consume(row)
    assert not EmailChangeRequest.objects.filter(pk=row.pk).exists()
    assert not CODE.consume(stale)  # a second request racing with the same row loses


def test_a_replaced_secret_cannot_be_consumed(subscriber):
    _, row = _code_row(subscriber)
    stale = EmailChangeRequest.objects.get(pk=row.pk)
    _, fields = CODE.issue(subscriber.pk)
    EmailChangeRequest.objects.filter(pk=row.pk).update(**fields)
    assert not CODE.consume(stale)
    assert EmailChangeRequest.objects.filter(pk=row.pk).exists()


def test_public_ids_are_random_and_url_safe():
    ids = {one_time.new_public_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == one_time.PUBLIC_ID_LENGTH for i in ids)
    assert all(
        set(i) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for i in ids
    )
