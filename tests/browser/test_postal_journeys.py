"""Issue #5's journeys: services obtained by postal letter, read from the outbox as a
developer would (the company e-mail's link, the letter's code)."""

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from companies.models import BankAccount, Company
from demo.demo import DEMO_PASSWORD, load_demo
from habilitations.models import Habilitation, Origin, Role
from habilitations.rights.actions import grant
from tests.factories import SubscriberFactory
from tests.helpers import pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)

LINK_RE = re.compile(
    r"https?://\S+/adresse-electronique-entreprise/[A-Za-z0-9_-]{22}/[A-Za-z0-9]{12}/"
)
CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.MULTILINE)
PASSWORD = "Trois pommes vertes sur la table du jardin"


def _log_in(page, email, password=DEMO_PASSWORD):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()


def _log_out(page):
    page.get_by_role("button", name="Quitter").click()


def _outbox(page, kind: str, has_text: str) -> str:
    """The newest message of the outbox of this kind mentioning `has_text`."""
    page.goto("/outbox/")
    message = page.locator(f".outbox-message[data-kind={kind}]", has_text=has_text).first
    expect(message).to_be_visible()
    return message.inner_text()


def _follow_company_email_link(page, address: str) -> None:
    link = LINK_RE.search(_outbox(page, "email", address)).group(0)
    page.goto(link)
    expect(page.locator("#link-question")).to_contain_text(address)
    page.get_by_role("button", name="Confirmer l'adresse électronique").click()
    expect(page.locator("#link-done")).to_contain_text("est confirmée")


def _letter_code(page, company_name: str) -> str:
    page.goto("/outbox/")
    letter = page.locator(".outbox-message[data-kind=letter]", has_text=company_name).first
    pdf = page.request.get(
        letter.get_by_role("link", name="Voir le courrier (PDF)").get_attribute("href")
    )
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    return CODE_RE.search(letter.inner_text()).group(1)


def test_lila_adheres_for_martin_distribution_with_messagerie_and_payer(page, tmp_path):
    load_demo()
    _log_in(page, "lila.rosemonde@example.fr")
    page.get_by_role("link", name="Adhérer aux services en ligne").first.click()
    page.get_by_label("Entrez le numéro S.I.R.E.N. (ou équivalent)").fill("111 111 118")
    page.get_by_role("button", name="Valider").click()

    recap = page.locator("#request-recap")
    expect(recap).to_contain_text("Je soussigné(e)")
    expect(recap).to_contain_text("Madame Lila ROSEMONDE")
    expect(recap).to_contain_text("20101670101919")
    expect(recap).to_contain_text("SARL MARTIN DISTRIBUTION")
    expect(recap).to_contain_text("45 AVENUE JEAN JAURES")
    # Already hers: shown, not selectable; the company e-mail shows once Messagerie is ticked.
    expect(page.locator("#service-declarer_tva")).to_be_disabled()
    expect(page.locator("#company-email-fieldset")).to_be_hidden()
    submit = page.get_by_role("button", name="Confirmer et valider la demande d'adhésion")
    submit.click()
    # Nothing asked: both mistakes at once, the group of boxes marked as DSFR marks a group.
    expect(page).to_have_title(re.compile(r"^Erreur : Votre formulaire de demande"))
    expect(page.locator("#error-summary li")).to_have_text(
        [
            "Cochez au moins un service.",
            "Vous devez accepter les conditions générales pour continuer.",
        ]
    )
    expect(page.locator("#services-fieldset")).to_have_class(re.compile("fr-fieldset--error"))
    page.locator("label[for=service-messagerie]").click()
    expect(page.locator("#company-email-fieldset")).to_be_visible()
    page.locator("label[for=service-payer_tva]").click()
    # One titular for all Payer services: the nine go together.
    expect(page.locator("#service-payer_autres")).to_be_checked()
    page.get_by_label("IBAN").fill("FR76 1234")
    submit.click()
    # Every mistake in one go (it used to be conditions, then e-mail, then IBAN, one a submit).
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Le formulaire contient 5 erreurs")
    expect(summary).to_be_focused()  # read first by a screen reader
    for field, message in [
        ("company_email", "Le service Messagerie demande l'adresse électronique de l'entreprise"),
        ("iban", "IBAN invalide : vérifiez sa saisie"),
        ("bic", "Saisissez le BIC de la banque."),
        ("holder", "Saisissez le nom du titulaire du compte."),
        ("accept", "Vous devez accepter les conditions générales pour continuer."),
    ]:
        link = summary.get_by_role("link", name=re.compile(re.escape(message)))
        expect(link).to_have_attribute("href", f"#id_{field}")
        next_to_field = page.locator(f"#id_{field}-desc-error .fr-error-text")
        expect(next_to_field).to_contain_text(message)
        group = "fr-checkbox-group--error" if field == "accept" else "fr-input-group--error"
        expect(page.locator(f"div:has(> #id_{field})")).to_have_class(re.compile(group))
    expect(page.locator("#service-payer_autres")).to_be_checked()  # nothing lost
    page.screenshot(path=tmp_path / "adhesion-errors.png", full_page=True)
    page.locator("#id_company_email").fill("contact@martin-distribution.example")
    page.get_by_label("Confirmer l'adresse électronique de l'entreprise").fill(
        "contact@martin-distribution.example"
    )
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_label("BIC").fill("BNPAFRPP")
    page.get_by_label("Titulaire du compte").fill("SARL MARTIN DISTRIBUTION")
    page.locator("label", has_text=re.compile(r"^\s*Oui\s*$")).click()
    page.locator("label", has_text="Je reconnais avoir pris connaissance").click()
    page.screenshot(path=tmp_path / "adhesion-form.png", full_page=True)
    submit.click()

    expect(page.locator("#next-step")).to_contain_text("contact@martin-distribution.example")
    expect(page.locator("#next-step")).to_contain_text("72 heures")
    page.screenshot(path=tmp_path / "adhesion-sent.png", full_page=True)

    # The company e-mail's link (no login needed), then the letter goes out.
    _follow_company_email_link(page, "contact@martin-distribution.example")
    page.screenshot(path=tmp_path / "link-confirmed.png", full_page=True)
    code = _letter_code(page, "SARL MARTIN DISTRIBUTION")

    page.goto("/espace/")
    page.get_by_role("link", name="Activer mes services").click()
    card = page.locator(".activation-request", has_text="SARL MARTIN DISTRIBUTION")
    card.get_by_label("Code d'activation").fill(code)
    card.get_by_role("button", name="Activer").click()
    expect(page.locator("#granted")).to_contain_text("Messagerie, Payer")
    page.screenshot(path=tmp_path / "activated.png", full_page=True)

    page.get_by_role("link", name="Voir tous mes dossiers").click()
    page.locator("label", has_text="SARL MARTIN DISTRIBUTION").click()
    page.get_by_role("button", name="Valider").click()
    payer = page.locator(".dossier-menu", has=page.get_by_role("heading", name="Payer"))
    expect(payer.get_by_role("link").first).to_have_text("TVA")
    page.get_by_role("link", name="Gérer les comptes bancaires de l'entreprise").click()
    expect(page.locator("#bank-accounts")).to_contain_text("FR76 3000 6000 0112 3456 7890 189")
    expect(page.locator("#bank-notice")).to_contain_text("paiement des impôts et taxes")
    page.screenshot(path=tmp_path / "bank-accounts.png", full_page=True)
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []


def test_lila_replaces_the_titular_of_simonets_tva(page, tmp_path):
    load_demo()
    simonet = Company.objects.get(identifier="442306510")
    jean = Habilitation.objects.get(company=simonet, service="declarer_tva").subscriber
    actor = SubscriberFactory(first_name="Claude", last_name="Richard")
    grant(simonet, actor, "declarer_tva", Role.ACTOR, Origin.DELEGATION, by=jean)

    _log_in(page, "lila.rosemonde@example.fr")
    page.get_by_role("link", name="Gérer vos substitutions (remplacer le titulaire)").click()
    page.get_by_label("Entrez le numéro S.I.R.E.N. (ou équivalent)").fill("442306510")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#service-declarer_is")).to_be_disabled()  # already hers
    expect(page.locator("#service-declarer_cvae")).to_be_disabled()  # nobody to replace
    page.locator("label[for=service-declarer_tva]").click()
    page.locator("label", has_text="Je reconnais avoir pris connaissance").click()
    page.screenshot(path=tmp_path / "substitution-form.png", full_page=True)
    page.get_by_role("button", name="Confirmer et valider la demande de substitution").click()
    expect(page.locator("#next-step")).to_contain_text(
        "L'administrateur titulaire actuel a été informé"
    )

    asked = _outbox(page, "email", "jean.simonet@example.fr")
    assert "« Mme Lila ROSEMONDE » a demandé" in asked and "Déclarer TVA" in asked
    code = _letter_code(page, "SARL SIMONET")
    page.goto("/activer/")  # the login page's entry, for a logged-in subscriber
    card = page.locator(".activation-request", has_text="SARL SIMONET")
    card.get_by_label("Code d'activation").fill(code)
    card.get_by_role("button", name="Activer").click()
    expect(page.locator("#granted")).to_contain_text("Déclarer TVA")
    done = _outbox(page, "email", "Vous n'êtes plus administrateur titulaire")
    assert "jean.simonet@example.fr" in done
    page.goto("/espace/")
    _log_out(page)

    # The former titular no longer sees the service; his other services stay.
    _log_in(page, "jean.simonet@example.fr")
    page.goto("/espace/dossiers/442306510/")
    declarer = page.locator(".dossier-menu", has=page.get_by_role("heading", name="Déclarer"))
    expect(declarer).to_contain_text("Aucun service de ce menu")
    expect(page.locator(".dossier-menu", has_text="Messagerie").get_by_role("link")).to_have_count(
        1
    )
    page.screenshot(path=tmp_path / "former-titular-dossier.png", full_page=True)
    response = page.request.get("/espace/dossiers/442306510/services/declarer_tva/")
    assert response.status == 403
    # Others' habilitations stay.
    assert Habilitation.objects.filter(subscriber=actor, role=Role.ACTOR).exists()
    assert page.csp_errors == []


def test_a_space_created_in_simplified_mode(page, tmp_path, settings):
    # Two wrong codes a day per login e-mail on *Activer mon espace* (5 by default).
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "activation.letter_email": "2/1d"}
    company = Company.objects.create(
        identifier="404833048",
        name="EURL BOULANGERIE DUPRE",
        street_line="3 RUE DU FOUR",
        postal_code="69001",
        city="LYON",
    )
    # Someone already manages one service: the mode leaves it to them (SPEC §8, issue 12 §6).
    grant(company, SubscriberFactory(), "declarer_is", Role.TITULAR_ADMIN, Origin.ADHESION)
    email = "jules.dupre@example.fr"
    page.goto("/")
    page.get_by_role("link", name="Créer mon espace professionnel").first.click()
    page.locator("#mode-simplified").get_by_role(
        "link", name="1ère étape : Créez votre espace"
    ).click()
    expect(page.locator("#simplified-not-for-firms")).to_contain_text("cabinets comptables")
    page.get_by_role("link", name="Créer mon espace en mode simplifié").click()
    page.get_by_text("Je reconnais avoir pris connaissance des conditions générales").click()
    page.get_by_role("button", name="Valider").click()

    page.get_by_label("S.I.R.E.N de votre entreprise (ou équivalent)").fill("404 833 049")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Numéro SIREN invalide")).to_be_visible()
    page.get_by_label("S.I.R.E.N de votre entreprise (ou équivalent)").fill("404 833 048")
    page.get_by_role("button", name="Valider").click()

    page.locator("#id_email").fill(email)
    page.get_by_label("Confirmer votre adresse électronique").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Confirmer votre mot de passe").fill(PASSWORD)
    # The strength meter's request done first: on SQLite two writers at once lock the table.
    expect(page.locator("#password-strength")).to_contain_text("Fort")
    page.get_by_role("button", name="Valider").click()

    page.get_by_label("Civilité").select_option("M")
    page.get_by_label("Nom", exact=True).fill("Dupre")
    page.get_by_label("Prénom").fill("Jules")
    page.get_by_label("Numéro de téléphone").fill("04 78 00 00 00")
    page.get_by_label("Ville").fill("LYON")
    page.get_by_label("Réponse").fill("Croissant")
    page.locator("#id_company_email").fill("contact@dupre.example")
    page.get_by_label("Confirmer l'adresse électronique de l'entreprise").fill(
        "contact@dupre.example"
    )
    expect(page.locator("#services-left")).to_have_text("Déclarer l'impôt sur les sociétés")
    expect(page.locator("#services-given")).to_contain_text("Messagerie")
    page.get_by_label("IBAN").fill("FR7630006000011234567890189")
    page.get_by_label("BIC").fill("BNPAFRPP")
    page.get_by_label("Titulaire du compte").fill("EURL BOULANGERIE DUPRE")
    page.screenshot(path=tmp_path / "simplified-form.png", full_page=True)
    page.get_by_role("button", name="Valider").click()

    expect(page.locator("#recap-company-name")).to_have_text("EURL BOULANGERIE DUPRE")
    # Anonymous, the request for a letter carries a CAPTCHA (docs/security.md §13).
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Recopiez les caractères de l'image").fill(
        CaptchaStore.objects.get(hashkey=key).response
    )
    page.screenshot(path=tmp_path / "simplified-recap.png", full_page=True)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#next-step")).to_contain_text("contact@dupre.example")
    expect(page.locator("#next-step")).to_contain_text(
        "et le mot de passe que vous venez de choisir"
    )
    expect(page.locator("#sent-services")).not_to_contain_text("impôt sur les sociétés")
    page.screenshot(path=tmp_path / "simplified-sent.png", full_page=True)

    _follow_company_email_link(page, "contact@dupre.example")
    code = _letter_code(page, "EURL BOULANGERIE DUPRE")
    page.goto("/")
    page.get_by_role("link", name="Activer mon espace / mes services").click()
    # The e-mailed code's form asks no password; the letter's code typed there is recognised.
    expect(page.locator("input[type=password]")).to_have_count(0)
    # A mistyped e-mail: the code is nobody's there; past the tries a letter's code has on its
    # own page, the page stops trying the e-mail's letters and says where a letter's code goes.
    page.get_by_label("Adresse électronique").fill("jules.dupre@example.com")
    page.get_by_label("Code d'activation").fill(code)
    for _ in range(2):
        page.get_by_role("button", name="Valider").click()
        expect(page.locator("#id_code-desc-error")).to_have_text(
            "L'adresse électronique ou le code d'activation est incorrect."
        )
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#id_code-desc-error")).to_contain_text(
        "Le code d'activation a été saisi trop de fois de manière erronée avec cette adresse "
        "électronique"
    )
    expect(page.locator("#id_code-desc-error")).to_contain_text("« Activer mes services »")
    page.screenshot(path=tmp_path / "activate-letter-tries-spent.png", full_page=True)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Code d'activation").fill(code)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce code est celui du courrier de création")).to_be_visible()
    page.get_by_label("Code d'activation").fill(code)
    page.locator("#id_password").fill(PASSWORD)
    page.screenshot(path=tmp_path / "simplified-activate-letter.png", full_page=True)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#registration-confirmation")).to_contain_text(
        "Votre inscription a été réalisée"
    )
    expect(page.locator("#simplified-outcome")).to_contain_text("Messagerie")
    page.screenshot(path=tmp_path / "simplified-activated.png", full_page=True)

    page.get_by_role("link", name="Accédez à votre espace abonné").click()
    _log_in(page, email, PASSWORD)
    expect(page.locator("#home-dossier-count")).to_have_text("Vous avez 1 dossier.")
    page.get_by_role("link", name="Voir tous mes dossiers").click()
    page.locator("label", has_text="EURL BOULANGERIE DUPRE").click()
    page.get_by_role("button", name="Valider").click()
    for menu in ["Consulter", "Déclarer", "Payer", "Démarches", "Messagerie"]:
        section = page.locator(".dossier-menu", has=page.get_by_role("heading", name=menu))
        expect(section.get_by_role("link").first).to_be_visible()
    expect(page.locator("#manage-entries")).to_contain_text("Modifier l'adresse électronique")
    assert BankAccount.objects.filter(company__identifier="404833048", is_active=True).exists()
    page.screenshot(path=tmp_path / "simplified-dossier.png", full_page=True)
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []
