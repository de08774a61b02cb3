"""Second factors (docs/security.md §14): the e-mailed code, the app, recovery codes, the
limits, remembered browsers, the reset."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings

from accounts.factors import app, browsers, email_code, recovery, verification
from accounts.factors.models import EmailCode, RememberedBrowser
from accounts.flows.password_change import change_password
from accounts.models import SubscriberSession
from accounts.signals import credentials_revoked
from audit.models import Action, AuditEvent
from core.refusals import Refusal
from tests.factories import SubscriberFactory
from tests.helpers import (
    CURRENT_TIME,
    SQLITE_REFUSES_CONCURRENT_WRITERS,
    STRONG_PASSWORD,
    last_email_to,
    last_login_code,
    run_concurrently,
)

pytestmark = pytest.mark.django_db
HEX = "3132333435363738393031323334353637383930"


def _verify(subscriber, kind, code):
    verification.verify(subscriber, kind, code, purpose="login")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_emailed_code_works_once_and_is_never_stored_in_clear():
    lila = SubscriberFactory()
    email_code.send_code(lila)
    code = last_login_code(lila.email)
    assert code not in EmailCode.objects.get(subscriber=lila).code_hash
    _verify(lila, "email", code)
    with pytest.raises(Refusal) as refused:
        _verify(lila, "email", code)
    assert refused.value.code == "factor.no_code"


@override_settings(OUTBOX_ENABLED=False)
def test_outside_development_the_outbox_keeps_the_code_masked():
    lila = SubscriberFactory()
    email_code.send_code(lila)
    message = last_email_to(lila.email, "login_code")
    assert "[masqué]" in message.body and message.sealed_body


def test_the_emailed_code_expires():
    lila = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False):
        email_code.send_code(lila)
    code = last_login_code(lila.email)
    late = CURRENT_TIME + settings.LOGIN_CODE_VALIDITY
    with time_machine.travel(late, tick=False), pytest.raises(Refusal) as refused:
        _verify(lila, "email", code)
    assert refused.value.code == "factor.no_code"
    with time_machine.travel(CURRENT_TIME + settings.LOGIN_CODE_VALIDITY - timedelta(seconds=1)):
        _verify(lila, "email", code)


def test_a_newer_code_kills_the_older_and_wrong_tries_kill_the_code():
    lila = SubscriberFactory()
    email_code.send_code(lila)
    first = last_login_code(lila.email)
    email_code.send_code(lila)
    second = last_login_code(lila.email)
    if first != second:
        with pytest.raises(Refusal):
            _verify(lila, "email", first)
    for _ in range(settings.MAX_CODE_ATTEMPTS):
        with pytest.raises(Refusal):
            _verify(lila, "email", _wrong(second))
    with pytest.raises(Refusal):
        _verify(lila, "email", second)  # dead
    failed = AuditEvent.objects.filter(action=Action.FACTOR_CODE_FAILED, actor=lila).count()
    assert failed >= settings.MAX_CODE_ATTEMPTS + 1


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "factor.send": "3/1h"})
def test_sends_are_limited_per_person():
    lila = SubscriberFactory()
    for _ in range(3):
        email_code.send_code(lila)
    with pytest.raises(Refusal) as refused:
        email_code.send_code(lila)
    assert refused.value.code == "factor.too_many_sends"


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "factor.code": "3/1h"})
def test_wrong_codes_are_limited_per_person_across_codes_then_nothing_is_checked():
    lila = SubscriberFactory()
    for _ in range(3):
        email_code.send_code(lila)  # each new code has its own 5 tries; the person has 3
        with pytest.raises(Refusal):
            _verify(lila, "email", _wrong(last_login_code(lila.email)))
    email_code.send_code(lila)
    with pytest.raises(Refusal) as refused:
        _verify(lila, "email", last_login_code(lila.email))  # right, but not looked at
    assert refused.value.code == "factor.too_many_tries"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason=SQLITE_REFUSES_CONCURRENT_WRITERS,
)
@pytest.mark.django_db(transaction=True)
@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "factor.code": "3/1h"})
def test_a_burst_of_guesses_from_many_processes_gets_no_more_checks_than_the_limit():
    lila = SubscriberFactory()
    app.start_enrolment(lila, HEX)
    lila.totp_devices.update(confirmed=True)
    outcomes = run_concurrently(*[lambda: _verify(lila, "totp", "000000")] * 10)
    codes = [getattr(o, "code", None) for o in outcomes]
    assert codes.count("factor.wrong_code") == 3, codes
    assert codes.count("factor.too_many_tries") == 7, codes


def test_the_app_enrolled_by_its_first_code_accepts_drift_and_refuses_a_replay():
    lila = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False):
        pending = app.start_enrolment(lila, HEX)
        with pytest.raises(Refusal):
            app.confirm_enrolment(lila, "000000" if app.current_code(pending) != "000000" else "1")
        lila.refresh_from_db()
        assert not lila.strong_factor
        app.confirm_enrolment(lila, app.current_code(pending))
        lila.refresh_from_db()
        assert lila.strong_factor and verification.login_kind(lila) == "totp"
    device = app.device(lila)
    with time_machine.travel(CURRENT_TIME + timedelta(seconds=30), tick=False):
        code = app.current_code(device)
    with time_machine.travel(CURRENT_TIME + timedelta(seconds=60), tick=False):
        _verify(lila, "totp", code)  # one step late: accepted
        with pytest.raises(Refusal):
            _verify(lila, "totp", code)  # the same code again: refused
    assert app.remove(lila)
    lila.refresh_from_db()
    assert not lila.strong_factor and verification.login_kind(lila) == "email"


def test_recovery_codes_are_hashed_and_single_use():
    lila = SubscriberFactory()
    codes = recovery.new_codes(lila)
    assert len(codes) == settings.RECOVERY_CODE_COUNT == recovery.count(lila)
    _verify(lila, "recovery", codes[0])
    with pytest.raises(Refusal):
        _verify(lila, "recovery", codes[0])
    assert recovery.count(lila) == settings.RECOVERY_CODE_COUNT - 1
    recovery.new_codes(lila)
    with pytest.raises(Refusal):
        _verify(lila, "recovery", codes[1])  # replaced


def test_a_remembered_browser_is_recognised_until_forgotten_revoked_or_expired():
    lila, paul = SubscriberFactory(), SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False):
        token = browsers.remember(lila, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
        assert browsers.recognised(lila, token)
        assert not browsers.recognised(paul, token)
        assert not browsers.recognised(lila, "another")
        assert browsers.live(lila)[0].label == "Firefox sur Linux"
    with time_machine.travel(CURRENT_TIME + settings.REMEMBERED_BROWSER_VALIDITY, tick=False):
        assert not browsers.recognised(lila, token)
    row = RememberedBrowser.objects.get(subscriber=lila)
    assert browsers.forget(paul, row.pk) is None  # not his
    assert browsers.forget(lila, row.pk)
    assert not browsers.recognised(lila, token)


def test_a_password_change_and_an_agent_ending_the_access_revoke_remembered_browsers():
    lila = SubscriberFactory()
    token = browsers.remember(lila, "")
    change_password(lila, STRONG_PASSWORD + "!", via="identifiers")
    assert not browsers.recognised(lila, token)
    token = browsers.remember(lila, "")
    credentials_revoked.send(type(lila), subscriber=lila, reason="agent")
    assert not browsers.recognised(lila, token)


def test_reset_factors_leaves_the_emailed_code_only():
    lila = SubscriberFactory()
    app.start_enrolment(lila, HEX)
    lila.totp_devices.update(confirmed=True)
    verification.choose(lila, "totp")
    recovery.new_codes(lila)
    token = browsers.remember(lila, "")
    SubscriberSession.objects.create(subscriber=lila, session_key="k" * 32, opened_at=CURRENT_TIME)
    verification.reset_factors(lila, by_agent="agent-7", reason="téléphone perdu")
    lila.refresh_from_db()
    assert not app.has_app(lila) and recovery.count(lila) == 0
    assert not lila.strong_factor and verification.login_kind(lila) == "email"
    assert not browsers.recognised(lila, token)
    assert not SubscriberSession.objects.filter(subscriber=lila).exists()
    event = AuditEvent.objects.get(action=Action.FACTORS_RESET)
    assert event.details["reason"] == "téléphone perdu"
    assert "réinitialisé" in last_email_to(lila.email, "factors_reset").body


def test_a_second_address_gets_the_codes_once_confirmed():
    lila = SubscriberFactory()
    with pytest.raises(Refusal):
        email_code.add_second_email(lila, lila.email.upper())
    email_code.add_second_email(lila, "secours@example.fr")
    email_code.send_code(lila)
    assert email_code.recipients(lila) == [lila.email]
    code = last_email_to("secours@example.fr", "second_email_code").body.split("\n\n")[2].strip()
    email_code.confirm_second_email(lila, code)
    email_code.send_code(lila)
    assert last_login_code("secours@example.fr") == last_login_code(lila.email)
