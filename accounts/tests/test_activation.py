import itertools
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password

from accounts.flows.registration import email_problem, submit_registration
from accounts.flows.space_activation import WRONG_CODE, activate_space
from accounts.models import PendingRegistration, Subscriber
from accounts.numbers import new_subscriber_number
from accounts.trust import answer_matches
from audit.models import Action, AuditEvent
from core.refusals import Refusal
from tests.helpers import CURRENT_TIME, last_code_sent_to

pytestmark = pytest.mark.django_db


def _wrong(code: str) -> str:
    return code[:-1] + ("A" if code[-1] != "A" else "B")


def test_the_right_code_creates_the_space_with_a_14_digit_number(registration):
    with time_machine.travel(CURRENT_TIME, tick=False):
        submit_registration(registration)
        subscriber = activate_space(registration.email, last_code_sent_to(registration.email))
    assert re.fullmatch(r"2026\d{10}", subscriber.subscriber_number)
    assert subscriber.registered_at == CURRENT_TIME
    assert subscriber.password_changed_at == CURRENT_TIME
    assert check_password(registration.password, subscriber.password)
    assert answer_matches("LILÎ", subscriber.trust_answer_hash)
    assert subscriber.company_name == "SARLALERIS"
    assert not PendingRegistration.objects.exists()
    assert AuditEvent.objects.filter(action=Action.SPACE_ACTIVATED, actor=subscriber).exists()


def test_the_email_is_case_insensitive_at_activation(registration):
    submit_registration(registration)
    code = last_code_sent_to(registration.email)
    subscriber = activate_space("  LILA.Rosemonde@EXAMPLE.fr ", code)
    assert subscriber.email == "lila.rosemonde@example.fr"


def test_the_code_is_single_use(registration):
    submit_registration(registration)
    code = last_code_sent_to(registration.email)
    activate_space(registration.email, code)
    with pytest.raises(Refusal, match=WRONG_CODE):
        activate_space(registration.email, code)
    assert Subscriber.objects.count() == 1


def test_a_code_works_only_for_its_own_email(registration):
    submit_registration(registration)
    code = last_code_sent_to(registration.email)
    with pytest.raises(Refusal, match=WRONG_CODE):
        activate_space("someone.else@example.fr", code)


def test_five_wrong_codes_kill_the_code_and_no_new_code_until_48_hours(registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        code = last_code_sent_to(registration.email)
        for attempt in range(4):
            with pytest.raises(Refusal, match="incorrect"):
                activate_space(registration.email, _wrong(code))
        with pytest.raises(Refusal, match="trop de fois"):
            activate_space(registration.email, _wrong(code))
        # The right code no longer works either.
        with pytest.raises(Refusal, match="trop de fois"):
            activate_space(registration.email, code)
        assert not Subscriber.objects.exists()
        assert email_problem(registration.email) is not None
        traveller.shift(timedelta(hours=48))
        assert email_problem(registration.email) is None
    assert AuditEvent.objects.filter(action=Action.SPACE_ACTIVATION_FAILED).count() == 6


def test_the_code_is_dead_after_48_hours(registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        code = last_code_sent_to(registration.email)
        traveller.shift(timedelta(hours=48))
        with pytest.raises(Refusal, match="48 heures"):
            activate_space(registration.email, code)
    assert not Subscriber.objects.exists()
    assert not PendingRegistration.objects.exists()


def test_the_code_still_works_just_before_48_hours(registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        code = last_code_sent_to(registration.email)
        traveller.shift(timedelta(hours=47, minutes=59, seconds=59))
        assert activate_space(registration.email, code).pk


def test_subscriber_numbers_are_the_year_and_10_unpredictable_digits():
    numbers = {new_subscriber_number(2026) for _ in range(2000)}
    assert all(re.fullmatch(r"2026\d{10}", n) for n in numbers)
    assert len(numbers) == 2000
    ordered = sorted(int(n) for n in numbers)
    # Not sequential: consecutive numbers are far apart on average.
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    assert sum(gaps) / len(gaps) > 1_000_000


def test_a_number_collision_draws_another_number(registration, monkeypatch):
    from accounts.flows import space_activation as activation

    taken = Subscriber.objects.create(
        email="taken@example.fr",
        subscriber_number="20261111111111",
        civility="M",
        last_name="Pris",
        first_name="Déjà",
        company_identifier="987654324",
        phone="0102030405",
        city="PARIS",
        trust_answer_hash="x",
        registered_at=CURRENT_TIME,
        password_changed_at=CURRENT_TIME,
    )
    draws = iter(["20261111111111", "20262222222222"])
    # Chance made deterministic: the random draw is told to collide once.
    monkeypatch.setattr(activation, "new_subscriber_number", lambda year: next(draws))
    submit_registration(registration)
    subscriber = activate_space(registration.email, last_code_sent_to(registration.email))
    assert subscriber.subscriber_number == "20262222222222"
    assert taken.subscriber_number != subscriber.subscriber_number


def test_the_database_refuses_a_duplicate_number_or_email():
    from django.db import IntegrityError, transaction

    fields = dict(
        civility="M",
        last_name="A",
        first_name="B",
        company_identifier="987654324",
        phone="0102030405",
        city="PARIS",
        trust_answer_hash="x",
        registered_at=CURRENT_TIME,
        password_changed_at=CURRENT_TIME,
    )
    Subscriber.objects.create(email="a@example.fr", subscriber_number="20260000000001", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(
            email="b@example.fr", subscriber_number="20260000000001", **fields
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(
            email="a@example.fr", subscriber_number="20260000000002", **fields
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(
            email="A@example.fr", subscriber_number="20260000000003", **fields
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="c@example.fr", subscriber_number="123", **fields)


def test_codes_printed_on_letters_avoid_characters_a_reader_confuses():
    from core.codes import PRINTED_CODE_ALPHABET, new_code

    printed = "".join(new_code(PRINTED_CODE_ALPHABET) for _ in range(300))
    assert not set(printed) & set("0Oo1lI")
    assert any(c.islower() for c in printed) and any(c.isupper() for c in printed)
    assert any(c.isdigit() for c in printed)


def test_wrong_codes_from_another_address_do_not_kill_the_code(registration, settings):
    """Knowing someone's e-mail is not enough to kill their registration (docs/security.md
    §5.3): wrong codes from elsewhere count against that address, not against the code."""
    from core.context import acting

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "activation.address": "8/1h"}
    with acting(ip_address="192.0.2.10"):
        submit_registration(registration)
    code = last_code_sent_to(registration.email)
    with acting(ip_address="203.0.113.66"):
        for _ in range(8):
            with pytest.raises(Refusal, match=WRONG_CODE):
                activate_space(registration.email, _wrong(code))
        with pytest.raises(Refusal, match="Trop de tentatives"):
            activate_space(registration.email, code)  # that address is stopped, even right
    assert PendingRegistration.objects.get().failed_attempts == 0
    with acting(ip_address="192.0.2.99"):  # the person, from wherever they are
        assert activate_space(registration.email, code).email == registration.email
