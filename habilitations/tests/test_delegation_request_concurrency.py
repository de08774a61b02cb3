"""Two administrators accepting the same request at the same instant: one designation
(docs/habilitations.md §12.3). True concurrency needs PostgreSQL."""

import pytest
from django.db import connection

from audit.models import Action, AuditEvent
from core.refusals import Refusal
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.delegation_requests import answers
from habilitations.models import DelegationRequestState, Habilitation, Role
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_two_administrators_accepting_at_once_make_one_designation():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    titular, deputy, firm = SubscriberFactory(), SubscriberFactory(), SubscriberFactory()
    company = CompanyFactory()
    HabilitationFactory(company=company, subscriber=titular, code="payer")
    HabilitationFactory(
        company=company, subscriber=deputy, code="payer", deputy_admin=True, by=titular
    )
    req = delegation_requests.submit(
        firm, company, delegation_requests.Wanted(levels={"payer_tva": Role.DELEGATING_ACTOR})
    )

    results = run_concurrently(
        lambda: answers.accept(titular, req.pk, {"payer_tva": Role.DELEGATING_ACTOR}),
        lambda: answers.accept(deputy, req.pk, {"payer_tva": Role.ACTOR}),
    )

    refused = [r for r in results if isinstance(r, Refusal)]
    assert len(refused) == 1 and refused[0].code == "delegation_request.closed", results
    winner = next(r for r in results if not isinstance(r, Exception))
    assert winner.state in (DelegationRequestState.ACCEPTED, DelegationRequestState.PARTLY_ACCEPTED)
    assert Habilitation.objects.filter(subscriber=firm).count() == 1
    assert AuditEvent.objects.filter(action=Action.DELEGATION_REQUEST_ACCEPTED).count() == 1
    assert (
        AuditEvent.objects.filter(
            action=Action.HABILITATION_GRANTED, details__subscriber=firm.subscriber_number
        ).count()
        == 1
    )
