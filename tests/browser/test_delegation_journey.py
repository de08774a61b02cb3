"""Issue #6's journeys: a delegation (SARL MARIANNE to Lila ROSEMONDE, docs/habilitations.md §4), a
collaborator leaving a firm."""

import pytest
from playwright.sync_api import expect

from accounts.models import Subscriber
from demo.demo import DEMO_PASSWORD, load_demo
from habilitations.models import Habilitation
from tests.factories import SubscriberFactory
from tests.helpers import pass_second_step, pass_step_up

pytestmark = pytest.mark.django_db(transaction=True)

LILA = "20101670101919"


def _log_in(page, email, password=DEMO_PASSWORD):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()


def _portfolio_names(page) -> list[str]:
    page.goto("/espace/dossiers/")
    return page.locator("#dossier-list tbody a").all_inner_texts()


def test_marianne_delegates_to_lila_who_sees_the_dossier_at_once(page, new_page, tmp_path):
    load_demo()
    Habilitation.objects.filter(
        subscriber__subscriber_number=LILA, company__name="SARL MARIANNE"
    ).delete()
    from habilitations.portfolio import sync as portfolio_sync

    portfolio_sync.rebuild_all()
    lila = new_page()
    _log_in(lila, "lila.rosemonde@example.fr")
    assert "SARL MARIANNE" not in _portfolio_names(lila)

    _log_in(page, "marianne.dupont@example.fr")
    page.get_by_role("link", name="Voir tous mes dossiers").click()
    page.locator("label", has_text="SARL MARIANNE").click()
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("link", name="Gérer ou consulter vos délégations").click()
    expect(page.locator("#selected-company")).to_have_text("SARL MARIANNE")
    page.get_by_label("Numéro d'abonné").fill(LILA)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#delegate-holder")).to_contain_text("Mme Lila ROSEMONDE")
    page.get_by_label("Déclarer TVA").select_option(label="Acteur délégant")
    page.get_by_label("Payer TVA").select_option(label="Acteur")
    page.screenshot(path=tmp_path / "delegate.png", full_page=True)
    page.get_by_role("button", name="Valider").click()
    # Payer is delegated: a fresh second factor first, then the levels chosen come back.
    assert pass_step_up(page, "marianne.dupont@example.fr")
    expect(page.get_by_label("Payer TVA")).to_have_value("AC")
    expect(page.get_by_label("Déclarer TVA")).to_have_value("AD")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("effective immédiatement")).to_be_visible()
    delegate = page.locator(f".delegate[data-number='{LILA}']")
    expect(delegate.locator("tbody tr")).to_have_count(2)
    page.screenshot(path=tmp_path / "delegations.png", full_page=True)

    # Immediately, without any code, Lila sees the dossier.
    assert "SARL MARIANNE" in _portfolio_names(lila)

    # Suspended: it disappears; reactivated: it is back.
    for row in range(2):
        delegate.locator("tbody tr").nth(row).get_by_role("button", name="Mettre en veille").click()
    expect(delegate.get_by_text("En veille")).to_have_count(2)
    assert "SARL MARIANNE" not in _portfolio_names(lila)
    delegate.locator("tbody tr").first.get_by_role("button", name="Réactiver").click()
    assert "SARL MARIANNE" in _portfolio_names(lila)

    # Deleting asks first, naming whose and which service; the message says it again.
    page.get_by_role(
        "button", name="Supprimer la délégation de Mme Lila ROSEMONDE sur Payer TVA"
    ).click()
    expect(page.get_by_role("heading", name="Supprimer une délégation")).to_be_visible()
    expect(page.get_by_text("« Payer TVA » (Acteur)")).to_be_visible()
    page.screenshot(path=tmp_path / "revoke-confirm.png", full_page=True)
    page.get_by_role("button", name="Supprimer", exact=True).click()
    expect(
        page.get_by_text("La délégation de Mme Lila ROSEMONDE sur « Payer TVA » est supprimée.")
    ).to_be_visible()
    expect(delegate.locator("tbody tr")).to_have_count(1)

    # The outbox holds the e-mails Lila received.
    lila.goto("/outbox/")
    expect(lila.locator(".outbox-message").first).to_contain_text("Payer TVA : Acteur (supprimée)")
    expect(lila.locator(".outbox-message").nth(1)).to_contain_text("réactivée")
    assert page.csp_errors == []


def test_a_firm_withdraws_all_delegations_of_a_leaving_collaborator(page, tmp_path):
    load_demo()
    hugo = SubscriberFactory(
        civility="M", first_name="Hugo", last_name="Lefebvre", email="hugo@example.fr"
    )
    _log_in(page, "paul.martin@example.fr")

    # A newcomer first: the same level on every dossier with a word beginning "atlan" in its name.
    page.goto("/espace/delegataires/deleguer/")
    page.get_by_label("Numéro d'abonné").fill(hugo.subscriber_number)
    page.locator("label", has_text="Acteur délégant").click()
    page.locator("label", has_text="Déclarer TVA").click()
    page.get_by_label("Dossiers concernés").fill("atlan")
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator("#bulk-preview")).to_contain_text("Hugo LEFEBVRE")
    page.get_by_role("button", name="Confirmer et déléguer").click()
    granted = Habilitation.objects.filter(subscriber=hugo).count()
    assert granted > 0
    expect(page.get_by_text(f"{granted} délégations accordées")).to_be_visible()

    # Then he leaves: everything goes in one action, after one confirmation page.
    row = page.locator("tr", has_text=hugo.subscriber_number)
    row.get_by_role("link", name="Retirer toutes ses délégations").click()
    expect(page.locator("#withdraw-summary")).to_contain_text(f"{granted} délégations")
    page.screenshot(path=tmp_path / "withdraw.png", full_page=True)
    page.get_by_role("button", name="Retirer toutes ses délégations").click()
    expect(page.get_by_text(f"{granted} délégations de M. Hugo LEFEBVRE retirées")).to_be_visible()
    assert not Habilitation.objects.filter(subscriber=hugo).exists()
    assert Subscriber.objects.filter(pk=hugo.pk).exists()
