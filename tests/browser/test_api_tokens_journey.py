"""Issue 13's journey: *Accès pour vos logiciels*: a token created (shown once), used by a
program (its portfolio; a webhook registered, then seen on the webhooks page), revoked; the
API's documentation page runs under the site's CSP."""

import httpx
import pytest
from playwright.sync_api import expect

from api import webhooks
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_is_created_shown_once_used_and_revoked(page, live_server, tmp_path, monkeypatch):
    monkeypatch.setattr(webhooks, "_public", lambda host: True)  # no DNS look-up in a test
    lila = SubscriberFactory(email="lila.api@example.fr")
    HabilitationFactory(subscriber=lila, company=CompanyFactory(name="SARL LOGICIELS"))
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(lila.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Accès pour vos logiciels (API)").click()
    page.get_by_label("Nom du jeton").fill("Logiciel comptable")
    page.locator("label", has_text="Consulter vos dossiers").click()
    page.locator("label", has_text="Enregistrer, consulter et supprimer des webhooks").click()
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.locator("#new-token")).to_contain_text("il ne sera plus jamais affiché")
    raw = page.locator("#new-token-value").inner_text().strip()
    page.screenshot(path=tmp_path / "token-created.png", full_page=True)

    api = f"{live_server.url}/api/v1"
    headers = {"Authorization": f"Bearer {raw}"}
    with httpx.Client() as http:
        dossiers = http.get(f"{api}/dossiers", headers=headers)
        assert [d["name"] for d in dossiers.json()["items"]] == ["SARL LOGICIELS"]

        hook = http.post(
            f"{api}/webhooks",
            json={"url": "https://logiciel.example.fr/evenements"},
            headers=headers,
        )
        assert hook.status_code == 201 and hook.json()["secret"].startswith("whsec_")
        page.goto("/espace/logiciels/webhooks/")
        expect(page.locator("#webhooks")).to_contain_text("https://logiciel.example.fr/evenements")
        assert hook.json()["secret"] not in page.content()

        page.goto("/espace/logiciels/")
        expect(page.locator("#new-token")).to_have_count(0)
        assert raw not in page.content()
        row = page.locator("#tokens tbody tr", has_text="Logiciel comptable")
        expect(row).to_contain_text("depuis 127.0.0.1")
        row.get_by_role("button", name="Révoquer").click()
        expect(page.get_by_text("Le jeton « Logiciel comptable » est révoqué")).to_be_visible()
        expect(row).to_contain_text("Révoqué le")
        page.screenshot(path=tmp_path / "token-revoked.png", full_page=True)
        assert http.get(f"{api}/me", headers=headers).status_code == 401

    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Espace professionnel")
    # Still logged in on the documentation page: the header of every page of the space.
    expect(page.locator(".fr-header__tools").get_by_role("button", name="Quitter")).to_be_visible()
    expect(page.locator(".api-operation", has_text="/api/v1/dossiers").first).to_be_visible()
    page.get_by_role("link", name="Délégations").click()
    expect(page.get_by_role("heading", name="Délégations")).to_be_visible()
    page.screenshot(path=tmp_path / "docs.png", full_page=True)
    assert page.csp_errors == []
