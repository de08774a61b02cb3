"""*Gérer vos coordonnées* (docs/accounts.md §3, §7, docs/security.md §1): see and change the
registration form's information, change the trust question behind the current password, download the
recap."""

import pytest
import time_machine

from accounts.trust import answer_matches
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import CURRENT_TIME, last_email_to

pytestmark = pytest.mark.django_db

PAGE = "/espace/coordonnees/"
EDIT = "/espace/coordonnees/modifier/"
TRUST = "/espace/coordonnees/question-de-confiance/"
PROFILE = {
    "civility": "MME",
    "last_name": "Rosemonde-Martin",
    "first_name": "Lila",
    "foreign_company": "non",
    "company_identifier": "987 654 324",
    "phone": "01 24 57 88 00",
    "street_number": "12",
    "street_type": "rue",
    "street_name": "des Lilas",
    "address_complement": "",
    "postal_code": "75011",
    "city": "PARIS",
    "country": "FRANCE",
}


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture
def lila(db):
    return SubscriberFactory(email="lila@example.fr", street_name="des Lilas", postal_code="75011")


@pytest.fixture
def browser(client, lila):
    client.force_login(lila)
    return client


def test_the_home_page_links_to_the_personal_pages(browser):
    home = _page(browser.get("/espace/"))
    assert 'href="/espace/coordonnees/">Gérer vos coordonnées</a>' in home
    assert (
        'href="/espace/identifiants/">Gérer votre adresse électronique de connexion / '
        "votre mot de passe</a>" in home
    )


def test_it_shows_what_the_space_knows_never_the_trust_answer(browser, lila):
    page = _page(browser.get(PAGE))
    for text in [
        "Gérer vos coordonnées",
        lila.subscriber_number,
        "Rosemonde",
        "01 24 57 88 77",
        "des Lilas",
        "lila@example.fr",
        "Le nom de votre animal de compagnie ?",
        "Gérer votre adresse électronique de connexion / votre mot de passe",
        "Modifier votre question de confiance",
        "Sauvegardez ou imprimez votre formulaire",
    ]:
        assert text in page
    assert "Lili" not in page
    assert browser.get("/espace/coordonnees/formulaire.pdf").content.startswith(b"%PDF")


def test_it_needs_a_login(client):
    for path in [PAGE, EDIT, TRUST]:
        assert client.get(path)["Location"].startswith("/?next=")


def test_the_edit_form_is_filled_with_the_current_information(browser):
    page = _page(browser.get(EDIT))
    assert 'value="Rosemonde"' in page
    assert 'value="01 24 57 88 77"' in page
    assert 'value="lila@example.fr"' in page and "disabled" in page
    assert 'name="trust_answer"' not in page
    assert 'name="email"' not in page


def test_changing_the_information_saves_it_and_is_audited(browser, company, lila):
    response = browser.post(EDIT, PROFILE)
    assert response["Location"] == PAGE
    lila.refresh_from_db()
    assert lila.last_name == "Rosemonde-Martin"
    assert lila.phone == "01 24 57 88 00"
    assert lila.company_identifier == "987654324"
    assert lila.company_name == "SARLALERIS"
    assert lila.email == "lila@example.fr"
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED, actor=lila)
    assert set(event.details["fields"]) == {"last_name", "phone", "street_number", "street_type"}
    assert "Vos coordonnées ont été enregistrées." in _page(browser.get(PAGE))


def test_bad_input_is_refused_next_to_the_field(browser, company, lila):
    page = _page(browser.post(EDIT, {**PROFILE, "company_identifier": "987 654 321", "city": ""}))
    assert "Numéro SIREN invalide" in page
    assert "Saisissez votre ville." in page
    lila.refresh_from_db()
    assert lila.last_name == "Rosemonde"


def test_the_login_email_cannot_be_changed_here(browser, company, lila):
    browser.post(EDIT, {**PROFILE, "email": "intruder@example.fr"})
    lila.refresh_from_db()
    assert lila.email == "lila@example.fr"


def test_changing_the_trust_question_needs_the_current_password(browser, lila):
    data = {"trust_question": "ville_naissance", "trust_answer": "Saint-Étienne"}
    missing = _page(browser.post(TRUST, data))
    wrong = _page(browser.post(TRUST, {**data, "current_password": "not the password, no"}))
    assert "Saisissez votre mot de passe actuel." in missing
    assert "Votre mot de passe actuel est incorrect." in wrong
    lila.refresh_from_db()
    assert lila.trust_question == "animal"
    assert answer_matches("Lili", lila.trust_answer_hash)


def test_changing_the_trust_question_hashes_the_answer_and_tells_the_holder(browser, lila):
    data = {"trust_question": "ville_naissance", "trust_answer": "Saint-Étienne"}
    with time_machine.travel(CURRENT_TIME, tick=False):
        response = browser.post(TRUST, {**data, "current_password": PASSWORD})
        page = _page(browser.get(PAGE))
    assert response["Location"] == PAGE
    lila.refresh_from_db()
    assert lila.trust_question == "ville_naissance"
    assert "Saint" not in lila.trust_answer_hash
    assert answer_matches("saint-etienne", lila.trust_answer_hash)
    email = last_email_to(lila.email, "trust_question_changed")
    assert "Modification effectuée le 02/03/2026 à 10:30 (heure de Paris)." in email.body
    assert AuditEvent.objects.filter(action=Action.TRUST_QUESTION_CHANGED, actor=lila).exists()
    assert "Votre ville de naissance ?" in page


def test_the_new_trust_answer_is_the_one_asked_by_mot_de_passe_oublie(browser, client, lila):
    browser.post(
        TRUST,
        {"trust_question": "ecole", "trust_answer": "Jules Ferry", "current_password": PASSWORD},
    )
    browser.post("/quitter/")
    browser.post("/mot-de-passe-oublie/", {"email": lila.email})
    old = browser.post(
        "/mot-de-passe-oublie/question-de-confiance/",
        {"trust_question": "animal", "trust_answer": "Lili"},
    )
    new = browser.post(
        "/mot-de-passe-oublie/question-de-confiance/",
        {"trust_question": "ecole", "trust_answer": "jules ferry"},
    )
    assert old.status_code == 200
    assert new["Location"] == "/mot-de-passe-oublie/courriel-envoye/"


def test_a_name_that_is_not_a_name_is_refused_next_to_its_field(browser, company, lila):
    response = browser.post(
        EDIT, {**PROFILE, "last_name": "Rosemonde https://x.example", "first_name": "Lila2"}
    )
    errors = response.context["form"].errors
    assert errors["last_name"][0].startswith("Le nom ne peut contenir que des lettres")
    assert errors["first_name"][0].startswith("Le prénom ne peut contenir que des lettres")
    assert "Le prénom ne peut contenir que des lettres" in _page(response)
    lila.refresh_from_db()
    assert (lila.last_name, lila.first_name) == ("Rosemonde", "Lila")
