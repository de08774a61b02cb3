"""The named access predicates of `Rights` (docs/habilitations.md §2): who may, who may not;
and the *Gérer* menu of the dossier home agrees with the guards of the pages it links to."""

import pytest
from django.utils.html import escape

from habilitations.catalogue import PAYER_ELEMENTARY_CODES, SERVICES
from habilitations.delegation.actions import designate
from habilitations.delegation.rules import Designation
from habilitations.models import Origin, Role
from habilitations.rights.actions import grant, set_state
from habilitations.rights.queries import Rights, rights_on
from tests.factories import HabilitationFactory

AT, AS, AD, AC = Role.TITULAR_ADMIN, Role.DEPUTY_ADMIN, Role.DELEGATING_ACTOR, Role.ACTOR


def rights(**roles: Role) -> Rights:
    """Rights on company 1; `payer=AT` stands for the nine elementary services of Payer."""
    held: dict[str, Role] = {}
    for code, role in roles.items():
        for es in PAYER_ELEMENTARY_CODES if code == "payer" else (code,):
            held[es] = role
    return Rights(1, held)


NOBODY = rights()


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        (rights(payer=AT), True),
        (rights(payer=AS), True),
        (rights(payer_tva=AD), False),
        (rights(payer_tva=AC), False),
        (rights(messagerie=AT, declarer_tva=AT), False),
        (NOBODY, False),
    ],
)
def test_may_manage_bank_accounts(holder, expected):
    assert holder.may_manage_bank_accounts() is expected


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        (rights(messagerie=AT), True),
        (rights(messagerie=AS), True),
        (rights(messagerie=AD), False),
        (rights(messagerie=AC), False),
        (rights(payer=AT, declarer_tva=AT), False),
        (NOBODY, False),
    ],
)
def test_may_manage_company_email(holder, expected):
    assert holder.may_manage_company_email() is expected


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        (rights(declarer_tva=AT), ["declarer_tva"]),
        (rights(payer=AT, messagerie=AS), ["payer"]),
        (rights(payer=AS, declarer_tva=AS), []),
        (rights(declarer_tva=AD), []),
        (rights(declarer_tva=AC), []),
        (NOBODY, []),
    ],
)
def test_may_manage_deputies_as_the_titular_of_a_service(holder, expected):
    assert holder.deputy_services() == expected
    assert holder.may_manage_deputies() is bool(expected)


def test_deputy_services_follow_the_catalogue_order():
    holder = rights(**{s.code: AT for s in SERVICES})
    assert holder.deputy_services() == [s.code for s in SERVICES]


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        (rights(declarer_tva=AT), True),
        (rights(payer=AS), True),
        (rights(declarer_tva=AD), True),
        (rights(declarer_tva=AC), False),
        (rights(declarer_tva=AC, payer_is=AC), False),
        (NOBODY, False),
    ],
)
def test_may_delegate(holder, expected):
    assert holder.may_delegate() is expected


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        (rights(declarer_tva=AT), True),
        (rights(payer=AS), True),
        (rights(declarer_tva=AD), False),
        (rights(declarer_tva=AC, payer_tva=AD), False),
        (NOBODY, False),
    ],
)
def test_may_see_holders(holder, expected):
    assert holder.may_see_holders() is expected


@pytest.mark.django_db
def test_a_suspended_role_grants_no_predicate(company, alice, bob):
    grant(company, alice, "declarer_tva", AT, Origin.ADHESION)
    (habilitation,) = designate(alice, company, bob, [Designation("declarer_tva", AD)])
    assert rights_on(bob, company).may_delegate()
    set_state(habilitation, "suspended", by=alice)
    assert not rights_on(bob, company).may_delegate()


# --- the *Gérer* menu and its pages -------------------------------------------------------

ENTRIES = {
    "Gérer les comptes bancaires de l'entreprise": "comptes-bancaires/",
    "Modifier l'adresse électronique de l'entreprise": "adresse-electronique/",
    "Gérer vos administrateurs suppléants": "suppleants/",
    "Gérer ou consulter vos délégations": "delegations/",
    "Qui a accès à cette entreprise": "acces/",
    "Demandes de délégation reçues": "demandes-delegation/",
    "Exiger une authentification forte": "authentification-forte/",
}


def _titular_of_payer(company, alice, bob, carol):
    grant(company, alice, "payer", AT, Origin.ADHESION)
    return alice


def _deputy_of_messagerie(company, alice, bob, carol):
    grant(company, alice, "messagerie", AT, Origin.ADHESION)
    designate(alice, company, bob, [Designation("messagerie", AS)])
    return bob


def _deputy_of_payer_and_titular_of_messagerie(company, alice, bob, carol):
    grant(company, alice, "payer", AT, Origin.ADHESION)
    grant(company, bob, "messagerie", AT, Origin.ADHESION)
    designate(alice, company, bob, [Designation("payer", AS)])
    return bob


def _delegating_actor(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", AT, Origin.ADHESION)
    designate(alice, company, carol, [Designation("declarer_tva", AD)])
    return carol


def _actor_and_suspended_delegating_actor(company, alice, bob, carol):
    grant(company, alice, "declarer_tva", AT, Origin.ADHESION)
    grant(company, alice, "payer", AT, Origin.ADHESION)
    designate(alice, company, carol, [Designation("payer_tva", AC)])
    (da,) = designate(alice, company, carol, [Designation("declarer_tva", AD)])
    set_state(da, "suspended", by=alice, by_admin=True)
    return carol


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        (
            _titular_of_payer,
            {
                "Gérer les comptes bancaires de l'entreprise",
                "Gérer vos administrateurs suppléants",
                "Gérer ou consulter vos délégations",
                "Qui a accès à cette entreprise",
                "Demandes de délégation reçues",
                "Exiger une authentification forte",
            },
        ),
        (
            _deputy_of_messagerie,
            {
                "Modifier l'adresse électronique de l'entreprise",
                "Gérer ou consulter vos délégations",
                "Qui a accès à cette entreprise",
                "Demandes de délégation reçues",
                "Exiger une authentification forte",
            },
        ),
        (_deputy_of_payer_and_titular_of_messagerie, set(ENTRIES)),
        (_delegating_actor, {"Gérer ou consulter vos délégations"}),
        (_actor_and_suspended_delegating_actor, set()),
    ],
)
def test_each_manage_entry_shown_opens_and_each_one_hidden_is_refused(
    client, company, alice, bob, carol, persona, shown
):
    holder = persona(company, alice, bob, carol)
    client.force_login(holder)
    base = f"/espace/dossiers/{company.identifier}/"
    home = client.get(base)
    assert home.status_code == 200
    entries = dict(home.context["manage"])
    assert set(entries) == shown
    page = home.content.decode()
    for entry, path in ENTRIES.items():
        if entry in shown:
            assert escape(entry) in page
            assert entries[entry] == base + path
            assert client.get(entries[entry]).status_code == 200, entry
        else:
            assert escape(entry) not in page
            assert client.get(base + path).status_code == 403, entry


@pytest.mark.django_db
def test_only_a_titular_administrators_role_cannot_be_renounced():
    titular = HabilitationFactory(titular_admin=True)
    assert not titular.may_be_renounced
    for trait in ("deputy_admin", "delegating_actor", "actor"):
        assert HabilitationFactory(company=titular.company, **{trait: True}).may_be_renounced
