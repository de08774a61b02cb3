"""Property: random sequences of grants, changes, suspensions and removals by random people
never break docs/habilitations.md §2's invariants, nor give anyone a right their granter could not
give."""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.refusals import Refusal
from habilitations.catalogue import elementary_codes_of
from habilitations.delegation.actions import designate, renounce, revoke, set_delegation_state
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation, PortfolioEntry, Role, State
from habilitations.portfolio import sync as portfolio_sync
from habilitations.rights.queries import rights_on
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory

PEOPLE = 4
CODES = ["declarer_tva", "payer", "payer_tva", "payer_is"]
# docs/habilitations.md §2, written independently of the code: who may designate each role.
DESIGNATORS = {
    Role.DEPUTY_ADMIN: {Role.TITULAR_ADMIN},
    Role.DELEGATING_ACTOR: {Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN},
    Role.ACTOR: {Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN, Role.DELEGATING_ACTOR},
}

designations = st.tuples(
    st.just("designate"),
    st.integers(0, PEOPLE - 1),
    st.integers(0, PEOPLE - 1),
    st.sampled_from(CODES),
    st.sampled_from([Role.DEPUTY_ADMIN, Role.DELEGATING_ACTOR, Role.ACTOR]),
)
managements = st.tuples(
    st.sampled_from(["suspend", "reactivate", "revoke", "renounce"]),
    st.integers(0, PEOPLE - 1),
    st.integers(0, 30),
)
operations = st.lists(st.one_of(designations, managements), min_size=1, max_size=25)


def _active_role(subscriber, company, code):
    """The subscriber's active role on an elementary service (or a whole service)."""
    rows = Habilitation.objects.filter(subscriber=subscriber, company=company, state=State.ACTIVE)
    roles = {}
    for h in rows:
        for es in elementary_codes_of(h.elementary_service):
            roles[es] = Role(h.role)
    held = {roles.get(es) for es in elementary_codes_of(code)}
    return held.pop() if len(held) == 1 else None


def _check_invariants(company):
    rows = list(Habilitation.objects.filter(company=company))
    admins = Counter(
        (h.service, h.role) for h in rows if h.role in (Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN)
    )
    assert all(n == 1 for n in admins.values()), admins
    per_es = Counter(
        (h.subscriber_id, es) for h in rows for es in elementary_codes_of(h.elementary_service)
    )
    assert all(n == 1 for n in per_es.values()), per_es
    assert not [h for h in rows if h.role == Role.TITULAR_ADMIN and h.state != State.ACTIVE]
    for h in rows:
        if h.state == State.SUSPENDED:
            assert not rights_on(h.subscriber, company).roles.keys() & set(h.elementary_codes)
    fields = (
        "subscriber_id",
        "company_id",
        "titular_count",
        "deputy_count",
        "delegating_count",
        "actor_count",
        "suspended_count",
        "is_dossier",
    )
    incremental = sorted(PortfolioEntry.objects.values_list(*fields))
    portfolio_sync.rebuild_all()
    assert sorted(PortfolioEntry.objects.values_list(*fields)) == incremental


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_random_delegation_histories_keep_the_invariants(ops):
    with transaction.atomic():
        company = CompanyFactory()
        people = [SubscriberFactory() for _ in range(PEOPLE)]
        HabilitationFactory(company=company, subscriber=people[0], code="declarer_tva")
        HabilitationFactory(company=company, subscriber=people[0], code="payer")
        for op in ops:
            ids = list(
                Habilitation.objects.filter(company=company)
                .order_by("id")
                .values_list("id", flat=True)
            )
            try:
                if op[0] == "designate":
                    _, who, whom, code, role = op
                    if role == Role.DEPUTY_ADMIN and code.startswith("payer_"):
                        code = "payer"
                    if role != Role.DEPUTY_ADMIN and code == "payer":
                        code = "payer_cvae"
                    granter_role = _active_role(people[who], company, code)
                    designate(people[who], company, people[whom], [Designation(code, role)])
                    # It went through: the granter held a role allowed to designate it.
                    assert granter_role in DESIGNATORS[role], (granter_role, role, code)
                    assert who != whom
                elif ids:
                    action, who, index = op
                    pk = ids[index % len(ids)]
                    if action == "suspend":
                        set_delegation_state(people[who], pk, State.SUSPENDED)
                    elif action == "reactivate":
                        set_delegation_state(people[who], pk, State.ACTIVE)
                    elif action == "revoke":
                        revoke(people[who], pk)
                    else:
                        renounce(people[who], pk)
            except (Refusal, Habilitation.DoesNotExist):
                pass
            _check_invariants(company)
        transaction.set_rollback(True)
