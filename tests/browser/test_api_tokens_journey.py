"""Issue 13's journey: *Accès pour vos logiciels*: a token created (shown once, after a fresh
second factor, issue 24), used by a program (its portfolio; a webhook registered, then seen on
the webhooks page, another registered there without the factor asked again), revoked; the API's
documentation page runs under the site's CSP; a password change lists what programs still hold
and « Révoquer ces accès » ends it (issue 21)."""

from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import expect

from api import tokens
from api.tests.receiver import serve
from core import clock
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD, last_login_code, pass_second_step

NEW_PASSWORD = "Sept chouettes grises dansent sous le vieux chêne"

pytestmark = pytest.mark.django_db(transaction=True)


def _prove(page, email: str) -> None:
    """*Vérification de sécurité*: the code e-mailed (read from the outbox), validated."""
    expect(page.get_by_role("heading", name="Vérification de sécurité")).to_be_visible()
    page.locator("#id_code").fill(last_login_code(email))
    page.get_by_role("button", name="Valider").click()


def _change_password(page, email: str) -> None:
    """*Modifiez vos identifiants* (behind step-up unless proved within 10 minutes): a new
    password, the current one to confirm it."""
    page.goto("/espace/identifiants/")
    if "/verification/" in page.url:
        _prove(page, email)
    page.locator("label", has_text="Saisir mon nouveau mot de passe").click()
    page.get_by_label("Saisissez votre nouveau mot de passe").fill(NEW_PASSWORD)
    # The strength meter's request is answered before the form is sent: one still on its way
    # with the former session would end the new one (its cookie).
    expect(page.locator("#password-strength")).to_contain_text("Fort")
    page.get_by_label("Confirmez votre nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Votre mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Valider les modifications").click()


@pytest.fixture
def receiver(settings, tmp_path):
    """A real HTTPS receiver of webhooks on 127.0.0.1, reached through the documented settings."""
    running, stop = serve(tmp_path)
    settings.API_WEBHOOK_ALLOW_PRIVATE = True
    settings.API_WEBHOOK_CA_BUNDLE = running.ca_file
    yield running
    stop()


def test_a_token_is_created_shown_once_used_and_revoked(page, live_server, tmp_path, receiver):
    events, payroll = receiver.url("/evenements"), receiver.url("/paie")
    lila = SubscriberFactory(email="lila.api@example.fr")
    HabilitationFactory(subscriber=lila, company=CompanyFactory(name="SARL LOGICIELS"))
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(lila.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    page.get_by_role("link", name="Accès pour vos logiciels (API)").click()
    page.get_by_label("Nom du jeton").fill("Logiciel comptable")
    page.locator("label", has_text="Consulter vos dossiers").click()
    page.locator("label", has_text="Enregistrer, consulter et supprimer des webhooks").click()
    page.get_by_role("button", name="Créer le jeton").click()
    # Being logged in is not enough: a fresh second factor is asked, then back to the form.
    expect(page.locator("#step-up-reason")).to_contain_text("Pour créer un jeton d'accès")
    _prove(page, lila.email)
    expect(page.get_by_label("Nom du jeton")).to_have_value("Logiciel comptable")
    expect(page.locator("#new-token")).to_have_count(0)
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
            json={"url": events},
            headers=headers,
        )
        assert hook.status_code == 201 and hook.json()["secret"].startswith("whsec_")
        page.goto("/espace/logiciels/webhooks/")
        expect(page.locator("#webhooks")).to_contain_text(events)
        assert hook.json()["secret"] not in page.content()
        # Proved a moment ago: registering one on the page does not ask the factor again.
        page.get_by_label("Adresse HTTPS").fill(payroll)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.locator("#new-webhook-secret")).to_contain_text("whsec_")

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

    # A routine password change: what programs still hold is listed, and can be ended at once.
    _change_password(page, lila.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vos logiciels gardent un accès à votre espace"
    )
    expect(page.get_by_text("Votre mot de passe a été modifié.")).to_be_visible()
    for url in (events, payroll):
        expect(page.locator("#live-webhooks")).to_contain_text(url)
    expect(page.locator("#live-tokens")).to_have_count(0)  # the only token is revoked already
    page.screenshot(path=tmp_path / "software-access.png", full_page=True)
    page.get_by_role("button", name="Révoquer ces accès").click()
    expect(page.get_by_text("Les accès de vos logiciels sont révoqués")).to_be_visible()
    page.goto("/espace/logiciels/webhooks/")
    expect(page.locator("#webhooks")).to_have_text("Aucun webhook.")


def test_a_password_change_lists_the_tokens_still_live(page, live_server, tmp_path):
    lila = SubscriberFactory(email="lila.paie@example.fr")
    _, raw = tokens.create_token(
        lila, "Logiciel de paie", ["dossiers:read"], clock.now() + timedelta(days=30)
    )
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(lila.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    _change_password(page, lila.email)
    row = page.locator("#live-tokens tbody tr", has_text="Logiciel de paie")
    expect(row).to_contain_text(raw[:13])
    expect(row).to_contain_text("Jamais")
    page.screenshot(path=tmp_path / "software-access-tokens.png", full_page=True)
    page.get_by_role("link", name="Conserver ces accès").click()
    expect(page).to_have_url(f"{live_server.url}/espace/")
    with httpx.Client() as http:
        me = http.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
