"""The pages of space creation in simplified mode (docs/accounts.md §13)."""

import html

import pytest

from habilitations.choices import RequestState
from habilitations.models import Habilitation, PostalRequest
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import (
    BIC,
    IBAN,
    SIMPLIFIED_COMPANY_EMAIL,
    STRONG_PASSWORD,
    captcha_answer,
    last_link,
    letter_code,
    simplified_letter,
    wrong,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(simplified_data):
    return simplified_data


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _profile(company, **overrides) -> dict:
    """The simplified mode's form, filled in for `company`."""
    return {
        "civility": "M",
        "last_name": "Gerant",
        "first_name": "Jules",
        "foreign_company": "non",
        "company_identifier": company.identifier,
        "phone": "01 23 45 67 89",
        "city": "PARIS",
        "country": "FRANCE",
        "trust_question": "animal",
        "trust_answer": "Rex",
        "company_email": SIMPLIFIED_COMPANY_EMAIL,
        "company_email_confirmation": SIMPLIFIED_COMPANY_EMAIL,
        "general_information": "oui",
        "iban": IBAN,
        "bic": BIC,
        "holder": "SARLALERIS",
        **overrides,
    }


def test_the_pages_from_the_choice_of_mode_to_the_activated_space(client, company):
    intro = _text(client.get("/creer-mon-espace/mode-simplifie/"))
    assert "n'est pas adapté aux cabinets comptables" in intro
    base = "/creer-mon-espace/mode-simplifie"
    # Nothing is possible before accepting the conditions.
    assert client.get(f"{base}/entreprise/")["Location"] == f"{base}/conditions/"
    client.post(f"{base}/conditions/", {"accept": "on"})
    someone = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=someone, code="declarer_is")
    # A service managed by someone else does not stop the mode: it is left to its AT.
    accepted = client.post(f"{base}/entreprise/", {"identifier": company.identifier})
    assert accepted["Location"] == f"{base}/identifiants/"
    email = "gerant@saleris.example"
    client.post(
        f"{base}/identifiants/",
        {
            "email": email,
            "email_confirmation": email,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )
    form = _text(client.get(f"{base}/formulaire/"))
    assert 'value="987654324"' in form  # the company is the person's own
    assert "Déjà gérés par un autre abonné, ces services lui restent" in form
    assert "Déclarer l'impôt sur les sociétés" in form.split('id="services-left"')[1][:80]
    assert "Déclarer l'impôt sur les sociétés" not in form.split('id="services-given"')[1][:600]
    assert "Compte bancaire de l'entreprise" in form
    profile = _profile(company)
    assert client.post(f"{base}/formulaire/", profile)["Location"] == f"{base}/recapitulatif/"
    recap_page = client.get(f"{base}/recapitulatif/").content.decode()
    recap = _text(client.get(f"{base}/recapitulatif/"))
    assert "SARLALERIS" in recap and SIMPLIFIED_COMPANY_EMAIL in recap and IBAN in recap
    # Anonymous, it asks for a letter: a CAPTCHA first (docs/security.md §13).
    refused = client.post(f"{base}/recapitulatif/")
    assert refused.status_code == 200 and "Recopiez les caractères de l" in _text(refused)
    assert not PostalRequest.objects.exists()
    answer = captcha_answer(refused.content.decode())
    assert "captcha_0" in recap_page
    done = client.post(f"{base}/recapitulatif/", answer)
    assert done["Location"] == f"{base}/courriel-envoye/"
    sent = _text(client.get(f"{base}/courriel-envoye/"))
    assert SIMPLIFIED_COMPANY_EMAIL in sent and "72 heures" in sent and "60 jours" in sent
    assert "et le mot de passe que vous venez de choisir" in sent
    req = PostalRequest.objects.get()
    assert "declarer_is" not in req.services and len(req.services) == 19
    pk, token = last_link(SIMPLIFIED_COMPANY_EMAIL)
    client.post(f"/adresse-electronique-entreprise/{pk}/{token}/")
    response = client.post(
        "/activer/courrier/",
        {"email": email, "code": letter_code(req), "password": STRONG_PASSWORD},
    )
    assert response["Location"] == "/activer/inscription/"
    activated = _text(client.get(response["Location"]))
    assert "Votre inscription a été réalisée le" in activated
    assert "Vos services en ligne pour SARLALERIS" in activated
    assert "Vous êtes administrateur titulaire de : Messagerie, Déclarer TVA" in activated
    assert Habilitation.objects.get(service="declarer_is").subscriber == someone


def test_a_company_whose_every_service_is_managed_is_refused_saying_what_to_do(client, company):
    from habilitations.catalogue import SERVICES

    someone = SubscriberFactory()
    for service in SERVICES:
        HabilitationFactory(company=company, subscriber=someone, code=service.code)
    base = "/creer-mon-espace/mode-simplifie"
    client.post(f"{base}/conditions/", {"accept": "on"})
    refused = _text(client.post(f"{base}/entreprise/", {"identifier": company.identifier}))
    assert "Tous les services en ligne de cette entreprise sont déjà gérés" in refused
    assert "mode expert" in refused and "substitution" in refused


def test_the_company_step_says_on_which_step_the_services_kept_by_others_are_listed(client):
    """The list comes with the form (where `_services.html` is shown), not on the next step
    (issue 21): the step named is the form's in the wizard's order."""
    from web.simplified.views import WIZARD

    base = "/creer-mon-espace/mode-simplifie"
    client.post(f"{base}/conditions/", {"accept": "on"})
    page = _text(client.get(f"{base}/entreprise/"))
    steps = [step.url_name for step in WIZARD.steps]
    assert "à l'étape suivante" not in page
    form_step = steps.index("simplified:profile") + 1
    assert f"leur liste vous sera indiquée à l'étape {form_step} (le formulaire)" in page


def test_the_expert_activation_page_asks_no_password_the_letter_page_does(client):
    expert = _text(client.get("/activer/"))
    assert 'type="password"' not in expert
    assert "J'ai reçu mon code par courrier (mode simplifié)" in expert
    letter = _text(client.get("/activer/courrier/"))
    assert 'name="password"' in letter and "choisi lors de votre demande" in letter


def test_the_simplified_and_expert_wizards_keep_apart(client, company):
    client.post("/creer-mon-espace/mode-simplifie/conditions/", {"accept": "on"})
    # Conditions accepted in simplified mode are not the expert mode's…
    expert = client.get("/creer-mon-espace/expert/identifiants/")
    assert expert["Location"] == "/creer-mon-espace/expert/"
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    # … and the expert mode's steps leave the simplified mode's where they were.
    simplified = client.get("/creer-mon-espace/mode-simplifie/identifiants/")
    assert simplified["Location"] == "/creer-mon-espace/mode-simplifie/entreprise/"
    assert client.get("/creer-mon-espace/expert/identifiants/").status_code == 200


def test_only_the_person_who_chose_the_password_can_spend_the_letters_tries(data, client):
    """Someone who knows the e-mail cannot block the creation with wrong codes
    (docs/security.md §1)."""

    req, code = simplified_letter(data)
    email = data.registration.email
    for _ in range(3):
        page = client.post(
            "/activer/courrier/", {"email": email, "code": wrong(code), "password": "x"}
        )
        assert "le mot de passe est incorrect" in html.unescape(page.content.decode())
    req.refresh_from_db()
    assert req.state == RequestState.LETTER_SENT and req.failed_attempts == 0
    response = client.post(
        "/activer/courrier/",
        {"email": email, "code": code, "password": data.registration.password},
    )
    assert response["Location"] == "/activer/inscription/"


def test_wrong_passwords_at_activation_count_towards_the_login_lock(data, client, settings):
    """Guessing the chosen password is stopped like guessing it on the login page
    (docs/security.md §6): after the limit, even the right password waits."""
    req, code = simplified_letter(data)
    email = data.registration.email
    for _ in range(5):
        client.post("/activer/courrier/", {"email": email, "code": code, "password": "pas le bon"})
    page = client.post(
        "/activer/courrier/",
        {"email": email, "code": code, "password": data.registration.password},
    )
    assert "Trop de tentatives ont échoué" in html.unescape(page.content.decode())
    req.refresh_from_db()
    assert req.state == RequestState.LETTER_SENT


def test_a_name_that_is_not_a_name_is_refused_next_to_its_field(client, company):
    base = "/creer-mon-espace/mode-simplifie"
    client.post(f"{base}/conditions/", {"accept": "on"})
    client.post(f"{base}/entreprise/", {"identifier": company.identifier})
    email = "gerant@saleris.example"
    client.post(
        f"{base}/identifiants/",
        {
            "email": email,
            "email_confirmation": email,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )
    response = client.post(f"{base}/formulaire/", _profile(company, last_name="Gerant\u202e"))
    assert response.status_code == 200
    assert "Le nom ne peut contenir que des lettres" in _text(response)
    assert client.get(f"{base}/recapitulatif/").status_code == 302
