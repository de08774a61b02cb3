"""Changing the login e-mail (docs/accounts.md §11, docs/security.md §5): the domain's rules that
no page shows (its pages are tested in web/space/tests/test_identifiers_pages.py)."""

import pytest
from django.conf import settings

from accounts.flows.identifiers_change import confirm_email_change, request_email_change
from accounts.models import Subscriber
from core.refusals import Refusal
from correspondence.models import Message
from tests.factories import SubscriberFactory
from tests.helpers import SQLITE_REFUSES_CONCURRENT_WRITERS, last_code_sent_to, run_concurrently


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason=SQLITE_REFUSES_CONCURRENT_WRITERS,
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uses_of_one_code_yield_exactly_one_success():
    lila = SubscriberFactory(email="lila@example.fr")
    request_email_change(lila, "lila.pro@example.fr")
    code = last_code_sent_to("lila.pro@example.fr")

    def confirm():
        return confirm_email_change(Subscriber.objects.get(pk=lila.pk), code)

    outcomes = run_concurrently(confirm, confirm)
    assert outcomes.count("lila.pro@example.fr") == 1
    assert sum(isinstance(o, Refusal) for o in outcomes) == 1
    assert Message.objects.filter(purpose="login_email_changed").count() == 2  # old and new
