"""The portfolio and dossier pages: what a subscriber sees, and what is refused."""

import pytest

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from habilitations.choices import State
from habilitations.rights.actions import set_state
from tests.factories import CompanyFactory, HabilitationFactory, bulk_portfolio

pytestmark = pytest.mark.django_db


def test_all_my_dossiers_lists_name_siren_and_roles(client, alice, company):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    page = client.get("/espace/dossiers/").content.decode()
    assert company.name in page
    assert company.identifier in page
    assert "Administrateur titulaire (2 services)" in page
    assert "Vous avez 1 dossier." in page


def test_a_suspended_habilitation_is_not_a_dossier(client, alice, bob, company):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    actor = HabilitationFactory(
        actor=True, company=company, subscriber=bob, code="declarer_tva", by=alice
    )
    client.force_login(bob)
    assert company.name in client.get("/espace/dossiers/").content.decode()
    set_state(actor, State.SUSPENDED, by=alice)
    assert company.name not in client.get("/espace/dossiers/").content.decode()
    assert client.get(f"/espace/dossiers/{company.identifier}/").status_code == 403
    # Still listed, as suspended, among one's habilitations.
    page = client.get("/espace/habilitations/").content.decode()
    assert company.name in page and "En veille" in page


def test_keyset_pages_walk_the_whole_portfolio_forwards_and_back(client, alice):
    companies = bulk_portfolio(alice, 120)
    client.force_login(alice)
    seen, url, pages = [], "/espace/dossiers/", []
    while url:
        response = client.get(url)
        page = response.context["page"]
        pages.append(page)
        seen += [e.identifier for e in page.entries]
        url = f"/espace/dossiers/?apres={page.next_cursor}" if page.next_cursor else None
    assert [len(p.entries) for p in pages] == [50, 50, 20]
    assert seen == [c.identifier for c in sorted(companies, key=lambda c: c.name)]
    back = client.get(f"/espace/dossiers/?avant={pages[2].previous_cursor}").context["page"]
    assert [e.identifier for e in back.entries] == [e.identifier for e in pages[1].entries]


def test_sort_by_siren(client, alice):
    companies = bulk_portfolio(alice, 5)
    client.force_login(alice)
    page = client.get("/espace/dossiers/?tri=siren").context["page"]
    assert [e.identifier for e in page.entries] == sorted(c.identifier for c in companies)


def test_search_by_siren_or_name_prefix(client, alice):
    companies = bulk_portfolio(alice, 30)
    client.force_login(alice)
    by_name = client.get("/espace/dossiers/?q=société 0011").context["page"]
    assert sorted(e.name for e in by_name.entries) == [f"SOCIETE {n:05d}" for n in range(110, 120)]
    target = companies[7].identifier
    spaced = f"{target[:3]} {target[3:6]} {target[6:]}"
    by_siren = client.get(f"/espace/dossiers/?q={spaced}").context["page"]
    assert [e.identifier for e in by_siren.entries] == [target]


def _lilas_dossiers(subscriber):
    for name in ["SARL SIMONET", "SARL MARTIN DISTRIBUTION", "EURL ATLANTIQUE LOIRE"]:
        HabilitationFactory(company=CompanyFactory(name=name), subscriber=subscriber)


def test_searching_any_word_of_the_name_finds_the_dossier(client, alice):
    """Issue 12 §1: « SIMONET » found SARL SIMONET nowhere, « ATLANTIQUE » missed EURL
    ATLANTIQUE LOIRE."""
    _lilas_dossiers(alice)
    client.force_login(alice)
    page = client.get("/espace/dossiers/?q=SIMONET").content.decode()
    assert "1 dossier correspond à « SIMONET »." in page
    assert "SARL SIMONET" in page and "SARL MARTIN DISTRIBUTION" not in page
    page = client.get("/espace/dossiers/?q=loire atlan").content.decode()
    assert "1 dossier correspond à « loire atlan »." in page
    assert "EURL ATLANTIQUE LOIRE" in page
    page = client.get("/espace/dossiers/choisir/?q=atlantique").content.decode()
    assert "1 dossier correspond à « atlantique »." in page
    assert "EURL ATLANTIQUE LOIRE" in page


def test_the_count_of_a_search_reads_right_for_none_one_and_many(client, alice):
    _lilas_dossiers(alice)
    HabilitationFactory(company=CompanyFactory(name="SAS Simonet Frères"), subscriber=alice)
    client.force_login(alice)
    for url in ("/espace/dossiers/", "/espace/dossiers/choisir/"):
        page = client.get(f"{url}?q=boulangerie").content.decode()
        assert "Aucun dossier ne correspond à « boulangerie »." in page
        assert "0 dossier" not in page
        assert "Vérifiez l'orthographe" in page
        assert "1 dossier correspond à « atlan »." in client.get(f"{url}?q=atlan").content.decode()
        page = client.get(f"{url}?q=sarl").content.decode()  # the legal form alone: no word
        assert "Aucun dossier ne correspond à « sarl »." in page
        page = client.get(f"{url}?q=distribution martin").content.decode()
        assert "1 dossier correspond à « distribution martin »." in page
        many = client.get(f"{url}?q=simo").content.decode()
        assert "2 dossiers correspondent à « simo »." in many


def test_the_portfolio_is_sorted_by_name_without_the_legal_form(client, alice):
    _lilas_dossiers(alice)
    client.force_login(alice)
    entries = client.get("/espace/dossiers/").context["page"].entries
    assert [e.name for e in entries] == [
        "EURL ATLANTIQUE LOIRE",
        "SARL MARTIN DISTRIBUTION",
        "SARL SIMONET",
    ]


def test_delegating_on_many_dossiers_filters_by_words(client, alice, bob):
    _lilas_dossiers(alice)
    client.force_login(alice)
    response = client.post(
        "/espace/delegataires/deleguer/",
        {
            "number": bob.subscriber_number,
            "role": "AC",
            "codes": ["declarer_tva"],
            "query": "atlantique",
        },
    )
    preview = response.content.decode()
    assert "sur 1 dossier." in preview, preview


def test_other_digits_are_searched_as_a_name_not_as_a_siren(client, alice):
    """docs/companies.md §1.5: only ASCII digits make a SIREN prefix; a query in
    Arabic-Indic digits is a name prefix."""
    company = CompanyFactory(name="٢٠١٠ IMMOBILIER")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    page = client.get("/espace/dossiers/?q=٢٠١٠").context["page"]
    assert [e.identifier for e in page.entries] == [company.identifier]


def test_choosing_a_dossier_makes_it_current(client, alice, company):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    response = client.post("/espace/dossiers/", {"dossier": company.identifier})
    assert response["Location"] == f"/espace/dossiers/{company.identifier}/"
    page = client.get(response["Location"]).content.decode()
    assert f"Dossier : {company.name} ({company.identifier})" in page


def test_choose_a_dossier_by_full_siren_opens_it(client, alice, company):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    response = client.get(f"/espace/dossiers/choisir/?q={company.identifier}")
    assert response["Location"] == f"/espace/dossiers/{company.identifier}/"


def test_the_dossier_home_lists_exactly_the_usable_services(client, alice, bob, company):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(actor=True, company=company, subscriber=bob, code="payer_tva", by=alice)
    client.force_login(bob)
    response = client.get(f"/espace/dossiers/{company.identifier}/")
    menus = {m.label: m.entries for m in response.context["menus"]}
    assert [entry.label for entry in menus["Payer"]] == [
        "TVA",
        "Prélèvement à la source",
        "CFE et autres impôts",
        "Dette fiscale",
        "Contrats de prélèvement automatique",
    ]
    assert menus["Déclarer"] == []
    assert [entry.url.split("/")[-2] for entry in menus["Démarches"]] == [
        "coordonnees_gestionnaire"
    ]
    assert response.context["manage"] == []
    client.force_login(alice)
    manage = [
        label
        for label, _ in client.get(f"/espace/dossiers/{company.identifier}/").context["manage"]
    ]
    assert "Gérer les comptes bancaires de l'entreprise" in manage
    assert "Gérer vos administrateurs suppléants" in manage
    assert "Modifier l'adresse électronique de l'entreprise" not in manage


def test_a_service_page_says_who_may_use_it(client, alice, company):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    page = client.get(f"/espace/dossiers/{company.identifier}/services/declarer_tva/")
    text = page.content.decode()
    assert "Déclarer TVA" in text
    assert "Qui peut utiliser ce service ?" in text
    assert "Administrateur titulaire" in text
    assert "fourni par sa propre application" in text


@pytest.mark.parametrize(
    "path",
    [
        "/espace/dossiers/{id}/",
        "/espace/dossiers/{id}/services/declarer_tva/",
        "/espace/dossiers/{id}/services/declarer_is/",
        "/espace/dossiers/{id}/services/nimporte/",
    ],
)
def test_no_right_means_403_and_an_audited_refusal(client, alice, bob, company, path):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_is")
    client.force_login(bob)
    if "declarer_is" in path:
        client.force_login(bob)
    response = client.get(path.format(id=company.identifier))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert event.actor == bob and event.target == company.identifier


def test_an_actor_cannot_open_a_service_of_the_dossier_it_does_not_hold(
    client, alice, bob, company
):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_is")
    HabilitationFactory(actor=True, company=company, subscriber=bob, code="declarer_tva", by=alice)
    client.force_login(bob)
    url = f"/espace/dossiers/{company.identifier}/services/declarer_is/"
    assert client.get(url).status_code == 403


def test_forged_choice_of_someone_elses_dossier_is_refused(client, alice, bob, company):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(bob)
    assert client.post("/espace/dossiers/", {"dossier": company.identifier}).status_code == 403
    assert "current_dossier" not in client.session


def test_pages_need_a_login(client, company):
    for url in [
        "/espace/dossiers/",
        "/espace/habilitations/",
        f"/espace/dossiers/{company.identifier}/",
    ]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/espace/dossiers/",
        "/espace/dossiers/?q=SOCIETE",
        "/espace/dossiers/?tri=siren",
        "/espace/habilitations/",
        "/espace/",
        "/espace/dossiers/choisir/?q=SOC",
        "/espace/dossiers/?q=0011 soci",
        "/espace/dossiers/choisir/?q=soc 001",
    ],
)
def test_query_counts_do_not_grow_with_the_portfolio(
    client, alice, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 1000):
        bulk_portfolio(alice, size - 10 if counts else size, start=110 if counts else 100)
        client.force_login(alice)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8


# A NUL byte (q=%00abc) is a 400 before any view: web/tests/test_http_hardening.py.
@pytest.mark.parametrize(
    "query",
    [
        "apres=%C2%B2",
        "avant=Zm9vHzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MA==",
        "apres=!!!",
        "apres=U09DSUVURQAfMQ==",
        "tri=nimporte",
        "q=societe&apres=U09DSUVURR8x",
        "q=societe&avant=MR9TT0NJRVRFHzE=",
        "q=societe&apres=eB9TT0NJRVRFHzE=",
    ],
)
def test_bad_cursors_and_queries_never_crash(client, alice, company, query):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    for url in ("/espace/dossiers/", "/espace/habilitations/"):
        assert client.get(f"{url}?{query}").status_code == 200


# A NUL byte (%00) is a 400 before any view: web/tests/test_http_hardening.py.
@pytest.mark.parametrize("identifier", ["12345678", "ABCDEFGHI", "1234567890", "P1234"])
def test_an_identifier_that_is_no_siren_nor_idsp_is_not_found(client, alice, identifier):
    client.force_login(alice)
    assert client.get(f"/espace/dossiers/{identifier}/").status_code == 404


@pytest.mark.parametrize("url", ["/espace/dossiers/?q=sarl", "/espace/dossiers/choisir/?q=sarl"])
def test_valider_without_a_dossier_is_told_in_french_next_to_the_list(client, alice, company, url):
    """Issue 12 §7: the server says it (the browser's own bubble is off: `novalidate`), the
    list shown again with its search, nothing refused or audited."""
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    response = client.post(url, {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Erreur : " in page
    assert 'class="fr-fieldset fr-fieldset--error"' in page
    assert "Sélectionnez un dossier dans la liste, puis validez." in page
    assert f'action="{url.replace("&", "&amp;")}"' in page  # posted to the same list
    assert company.name in page
    assert not AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED).exists()
    assert "current_dossier" not in client.session
