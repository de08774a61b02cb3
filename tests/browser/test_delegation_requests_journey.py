"""Issue 15's journeys (docs/habilitations.md §12, §13): a firm asks three companies by CSV and
each answers differently; a firm uploads its CSV file (issue 21); an expired request cannot be
accepted; a group of 1,000 dossiers granted to a collaborator in one action, then a dossier
added and removed."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from habilitations.delegation_requests import actions as delegation_requests
from habilitations.models import DelegationRequest, DelegationRequestState, Habilitation, Role
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory, bulk_portfolio
from tests.helpers import (
    CURRENT_TIME,
    PASSWORD,
    pass_second_step,
    pass_step_up,
    prove_in_browser,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, email):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()


def _as(new_page, email):
    page = new_page()
    _log_in(page, email)
    return page


def _client(name, admin):
    company = CompanyFactory(name=name)
    HabilitationFactory(company=company, subscriber=admin, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=admin, code="payer")
    return company


def test_a_firm_asks_three_companies_by_csv_and_sees_the_three_answers(
    page, new_page, tmp_path, settings
):
    # One refused single request an hour (30 by default).
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.refused": "1/1h"}
    firm = SubscriberFactory(
        first_name="Fanny",
        last_name="Comptable",
        company_name="CABINET COMPTA",
        company_identifier="732829320",
    )
    admins = [
        SubscriberFactory(first_name=n, last_name="Dirigeant") for n in ("Ana", "Ben", "Cleo")
    ]
    full, part, no = (
        _client(name, admin)
        for name, admin in zip(("ALPHA BOIS", "BETA FER", "GAMMA VERRE"), admins, strict=True)
    )
    # ALPHA BOIS has a second administrator: Dora, deputy of Payer.
    dora = SubscriberFactory(first_name="Dora", last_name="Adjointe")
    HabilitationFactory(
        company=full, subscriber=dora, code="payer", deputy_admin=True, by=admins[0]
    )

    # One company by its SIREN: refused, with how it gets an administrator. Refusals tell
    # something of a company, so they are counted: past the limit the next one is refused too.
    _log_in(page, firm.email)
    page.get_by_role("link", name="Demander une délégation").click()
    page.get_by_label("Déclarer TVA").select_option(label="Acteur")
    for company, told in [
        (CompanyFactory(), "Adhérer aux services en ligne"),
        (CompanyFactory(), "Trop de vos demandes de délégation ont été refusées"),
    ]:
        page.get_by_label("Numéro SIREN (ou équivalent) de l'entreprise").fill(company.identifier)
        page.get_by_role("button", name="Envoyer la demande").click()
        expect(page.locator("#id_identifier-desc-error")).to_contain_text(told)
    page.screenshot(path=tmp_path / "ask-refused-limit.png", full_page=True)
    page.get_by_label("Numéro SIREN (ou équivalent) de l'entreprise").fill("")
    page.get_by_label("Déclarer TVA").select_option(label="Non demandé")

    # The firm pastes its CSV: three clients and a line that is no SIREN.
    page.get_by_label("Ou collez ici le contenu d'un fichier CSV").fill(
        f"SIREN;Nom\n{full.identifier};Alpha\n{part.identifier};Beta\n{no.identifier};Gamma\n123456789;?\n"
    )
    page.get_by_label("Déclarer TVA").select_option(label="Acteur délégant")
    page.get_by_label("Payer TVA").select_option(label="Acteur")
    # A link in the message is refused next to it (the e-mail leaves from the administration).
    page.get_by_label("Message à l'entreprise").fill("Confirmez sur www.compta-securite.fr")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#id_message-desc-error")).to_contain_text("ne peut pas contenir de lien")
    page.screenshot(path=tmp_path / "ask-link-refused.png", full_page=True)
    page.get_by_label("Message à l'entreprise").fill(
        "Nous tenons votre comptabilité depuis janvier."
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    preview = page.locator("#ask-preview")
    expect(preview).to_contain_text("3 entreprises recevront votre demande")
    expect(page.locator("#ask-refused")).to_contain_text(
        "Ligne 5 (123456789) : Numéro SIREN invalide"
    )
    page.screenshot(path=tmp_path / "ask-preview.png", full_page=True)
    page.get_by_role("button", name="Confirmer et envoyer les demandes").click()
    expect(page.get_by_text("3 demandes de délégation envoyées.")).to_be_visible()

    # Ana accepts everything from her list of requests received.
    ana = _as(new_page, admins[0].email)
    ana.get_by_role("link", name="Demandes de délégation reçues").click()
    ana.locator(f"#received-table tr[data-company='{full.identifier}']").get_by_role(
        "link", name="Répondre"
    ).click()
    expect(ana.locator("#ask-summary")).to_contain_text("Fanny")
    expect(ana.locator("#ask-summary")).to_contain_text(f"abonné {firm.subscriber_number}")
    expect(ana.locator("#ask-firm")).to_contain_text(
        "Cabinet déclaré par le demandeur : CABINET COMPTA (SIREN ou équivalent 732829320), "
        "non vérifié"
    )
    ana.screenshot(path=tmp_path / "answer-declared.png", full_page=True)
    expect(ana.locator("#answer-final")).to_contain_text("elle est définitive")
    ana.get_by_role("button", name="Accepter").click()
    # Accepting grants rights: a fresh second factor first, then back to the answer.
    assert pass_step_up(ana, admins[0].email)
    ana.get_by_role("button", name="Accepter").click()
    expect(ana.get_by_text("est acceptée.")).to_be_visible()
    ana.close()

    # Dora, the other administrator, finds it answered: by whom, when, final, and where to
    # delegate more if she wishes.
    dora_page = _as(new_page, dora.email)
    dora_page.get_by_role("link", name="Demandes de délégation reçues").click()
    dora_page.locator(f"#received-table tr[data-company='{full.identifier}']").get_by_role(
        "link", name="Voir"
    ).click()
    outcome = dora_page.locator("#ask-outcome")
    expect(outcome).to_contain_text(
        re.compile(
            r"Cette demande a été acceptée par Mme Ana DIRIGEANT le \d\d/\d\d/\d{4} à \d\d:\d\d\."
        )
    )
    expect(outcome).to_contain_text("elle est définitive")
    expect(outcome.get_by_role("link", name="Déléguer mes habilitations")).to_be_visible()
    expect(dora_page.get_by_role("button", name="Accepter")).to_have_count(0)
    dora_page.screenshot(path=tmp_path / "answered-by-another.png", full_page=True)
    dora_page.close()

    # Ben, from his dossier's Gérer menu, grants Déclarer TVA at the lower level and not Payer.
    ben = _as(new_page, admins[1].email)
    ben.goto(f"/espace/dossiers/{part.identifier}/")
    ben.get_by_role("link", name="Demandes de délégation reçues").click()
    ben.get_by_role("link", name="Répondre").click()
    ben.get_by_label("Déclarer TVA").select_option(label="Accorder : Acteur")
    ben.get_by_label("Payer TVA").select_option(label="Ne pas accorder")
    ben.screenshot(path=tmp_path / "answer.png", full_page=True)
    ben.get_by_role("button", name="Accepter").click()
    assert pass_step_up(ben, admins[1].email)
    expect(ben.get_by_label("Payer TVA")).to_have_value("")  # the choices typed come back
    ben.get_by_role("button", name="Accepter").click()
    expect(ben.get_by_text("est acceptée en partie.")).to_be_visible()
    ben.close()

    # Cleo refuses, with a word back, and blocks this requester (their space, not the SIREN
    # it declares); the dossier's page lists the block.
    cleo = _as(new_page, admins[2].email)
    cleo.goto("/espace/demandes-delegation/recues/")
    cleo.get_by_role("link", name="Répondre").click()
    cleo.get_by_label("Votre réponse au cabinet").fill("Nous changeons de cabinet.")
    cleo.get_by_role("button", name="Refuser et bloquer ce demandeur").click()
    expect(cleo.get_by_text("est refusée.")).to_be_visible()
    cleo.goto(f"/espace/dossiers/{no.identifier}/")
    cleo.get_by_role("link", name="Demandes de délégation reçues").click()
    expect(cleo.locator("#blocks")).to_contain_text(f"abonné {firm.subscriber_number}")
    cleo.close()

    # The firm sees the three outcomes, and its portfolio changed accordingly.
    page.goto("/espace/demandes-delegation/")
    rows = page.locator("#sent-table")
    expect(rows.locator(f"tr[data-company='{full.identifier}'] .ask-state")).to_have_text(
        "Acceptée"
    )
    expect(rows.locator(f"tr[data-company='{part.identifier}'] .ask-state")).to_have_text(
        "Acceptée en partie"
    )
    expect(rows.locator(f"tr[data-company='{no.identifier}'] .ask-state")).to_have_text("Refusée")
    page.screenshot(path=tmp_path / "sent.png", full_page=True)
    page.goto("/espace/dossiers/")
    names = page.locator("tbody label").all_inner_texts()
    assert any("ALPHA BOIS" in n for n in names) and any("BETA FER" in n for n in names)
    assert not any("GAMMA VERRE" in n for n in names)
    held = set(
        Habilitation.objects.filter(subscriber=firm).values_list(
            "company_id", "elementary_service", "role"
        )
    )
    assert held == {
        (full.pk, "declarer_tva", Role.DELEGATING_ACTOR),
        (full.pk, "payer_tva", Role.ACTOR),
        (part.pk, "declarer_tva", Role.ACTOR),
    }
    assert page.csp_errors == []


def test_a_firm_uploads_its_csv_file_sees_the_preview_and_confirms(page, tmp_path):
    """Issue 21: a real file field. A spreadsheet or an oversized file is refused next to it;
    the CSV export of a spreadsheet (Windows encoding) is previewed, then confirmed."""
    firm = SubscriberFactory(company_name="CABINET COMPTA", company_identifier="732829320")
    admin = SubscriberFactory(first_name="Ana", last_name="Dirigeant")
    alpha, beta = _client("ALPHA BOIS", admin), _client("BÊTA FER", admin)
    _log_in(page, firm.email)
    page.get_by_role("link", name="Demander une délégation").click()
    file_field = page.get_by_label("Ou plusieurs entreprises : votre fichier CSV")
    expect(page.locator("#id_identifiers_file_helptext")).to_contain_text(
        "Fichier .csv ou .txt, au plus 100 Ko et 1\u00a0000 lignes."
    )
    page.get_by_label("Déclarer TVA").select_option(label="Acteur")

    refusals = [
        ("clients.xlsx", b"PK\x03\x04" + b"\x00" * 64, "Ce fichier est un classeur"),
        ("clients.csv", b"732829320;x\n" * 9000, "Ce fichier est trop volumineux"),
        # The line that kept a worker 27 s in csv.Sniffer (issue 21): answered at once.
        ("sniffer.csv", b';"' * 19_500, "La liste ne contient aucun SIREN."),
    ]
    for name, content, told in refusals:
        (tmp_path / name).write_bytes(content)
        file_field.set_input_files(tmp_path / name)
        started = time.monotonic()
        page.get_by_role("button", name="Envoyer la demande").click()
        expect(page.locator("#id_identifiers_file-desc-error")).to_contain_text(told)
        assert time.monotonic() - started < 5, name
    page.screenshot(path=tmp_path / "ask-file-refused.png", full_page=True)
    expect(page.get_by_label("Ou collez ici le contenu d'un fichier CSV")).to_have_value("")

    export = tmp_path / "clients.csv"
    export.write_bytes(
        f"Numéro SIREN;Dénomination\r\n{alpha.identifier};Alpha\r\n123456789;?\r\n"
        f"{beta.identifier};Bêta, fils\r\n".encode("cp1252")
    )
    file_field.set_input_files(export)
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#ask-preview")).to_contain_text("2 entreprises recevront votre demande")
    expect(page.locator("#ask-refused")).to_contain_text(
        "Ligne 3 (123456789) : Numéro SIREN invalide"
    )
    expect(page.locator("#ask-from-file")).to_contain_text("n'est pas conservé")
    expect(page.get_by_label("Ou collez ici le contenu d'un fichier CSV")).to_have_value(
        re.compile(r"^Numéro SIREN;Dénomination\r?\n")
    )
    page.screenshot(path=tmp_path / "ask-file-preview.png", full_page=True)
    page.get_by_role("button", name="Confirmer et envoyer les demandes").click()
    expect(page.get_by_text("2 demandes de délégation envoyées.")).to_be_visible()
    assert set(DelegationRequest.objects.values_list("company_id", flat=True)) == {
        alpha.pk,
        beta.pk,
    }
    assert page.csp_errors == []


def test_an_expired_request_cannot_be_accepted(page, tmp_path):
    admin = SubscriberFactory(first_name="Ana", last_name="Dirigeant")
    company = _client("ALPHA BOIS", admin)
    firm = SubscriberFactory(company_name="CABINET COMPTA")
    with time_machine.travel(CURRENT_TIME, tick=True) as traveller:
        req = delegation_requests.submit(
            firm, company, delegation_requests.Wanted(levels={"declarer_tva": Role.ACTOR})
        )
        # The administrator opens the request a minute before its deadline…
        traveller.shift(timedelta(days=21) - timedelta(minutes=1))
        _log_in(page, admin.email)
        prove_in_browser(page, admin.email)  # what is tested here is the expiry
        page.goto(f"/espace/demandes-delegation/recues/{req.pk}/")
        expect(page.get_by_role("button", name="Accepter")).to_be_visible()
        # …and accepts it two minutes later: too late.
        traveller.shift(timedelta(minutes=2))
        page.get_by_role("button", name="Accepter").click()
        expect(page.get_by_text("Cette demande a expiré le 23/03/2026")).to_be_visible()
        page.screenshot(path=tmp_path / "expired.png", full_page=True)
        expect(page.locator(".ask-state")).to_have_text("Expirée")
        expect(page.get_by_role("button", name="Accepter")).to_have_count(0)
    req.refresh_from_db()
    assert req.state == DelegationRequestState.EXPIRED
    assert not Habilitation.objects.filter(subscriber=firm).exists()
    assert DelegationRequest.objects.count() == 1


def test_a_group_of_1000_dossiers_granted_in_one_action_then_one_added_and_removed(page, tmp_path):
    owner = SubscriberFactory(first_name="Paul", last_name="Martin")
    hugo = SubscriberFactory(first_name="Hugo", last_name="Lefebvre")
    bulk_portfolio(owner, 1000, name="CLIENT {n:05d}")
    (extra,) = bulk_portfolio(owner, 1, start=5000, name="NOUVELLE SOCIETE {n:05d}")

    _log_in(page, owner.email)
    page.get_by_role("link", name="Groupes de dossiers (collaborateurs)").click()
    page.get_by_label("Nom du groupe").fill("Portefeuille de Hugo")
    page.get_by_role("button", name="Créer le groupe").click()
    page.get_by_label("Ajouter tous vos dossiers qui correspondent à une recherche").fill("client")
    page.get_by_role("button", name="Ajouter les dossiers trouvés").click()
    expect(page.get_by_text("1000 dossiers ajoutés au groupe.")).to_be_visible()
    expect(page.locator("#dossier-count")).to_have_text("1000 dossiers")

    # One action: Hugo, Acteur on Déclarer TVA, on the 1,000 dossiers.
    page.get_by_label("Numéro d'abonné").fill(hugo.subscriber_number)
    page.locator("#member-form label", has_text="Acteur").first.click()
    page.locator("#member-form label", has_text="Déclarer TVA").click()
    started = time.monotonic()
    page.get_by_role("button", name="Ajouter au groupe et déléguer").click()
    expect(page.get_by_text("1000 délégations accordées sur 1000 dossiers.")).to_be_visible(
        timeout=60_000
    )
    print(f"granting 1,000 dossiers in one action: {time.monotonic() - started:.2f} s")
    assert Habilitation.objects.filter(subscriber=hugo).count() == 1000
    page.screenshot(path=tmp_path / "group.png", full_page=True)

    # A dossier added later is delegated to Hugo at once…
    page.get_by_label("SIREN des dossiers à ajouter").fill(extra.identifier)
    page.get_by_role("button", name="Ajouter ces dossiers").click()
    expect(page.get_by_text("1 dossier ajouté au groupe. 1 délégation accordée")).to_be_visible()
    assert Habilitation.objects.filter(subscriber=hugo, company=extra).exists()
    expect(
        page.locator(f"#members-table tr[data-number='{hugo.subscriber_number}'] .member-given")
    ).to_have_text("1001")

    # …and taken back when it leaves the group, the 1,000 others staying.
    page.get_by_label("Filtrer par SIREN").fill(extra.identifier)
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("button", name="Retirer NOUVELLE SOCIETE 05000 du groupe").click()
    expect(page.get_by_text("1 délégation retirée à ses membres")).to_be_visible()
    assert not Habilitation.objects.filter(subscriber=hugo, company=extra).exists()
    assert Habilitation.objects.filter(subscriber=hugo).count() == 1000
    assert page.csp_errors == []
