"""The pages of adhesion, substitution, *Suivre*, *Supprimer un formulaire* and *Activer mes
services*: what a subscriber sees, and what is refused (forged POSTs included)."""

import html
from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from companies.bank import BankDetails, add_account
from correspondence.models import Kind, Message
from habilitations.choices import RequestState
from habilitations.models import Habilitation, PostalRequest
from tests.factories import CompanyFactory, HabilitationFactory, PostalRequestFactory
from tests.helpers import BIC, CURRENT_TIME, IBAN, last_link, letter_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def martin(db):
    return CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def logged(client, alice):
    client.force_login(alice)
    return client


def _form_url(company, kind="adhesions"):
    return f"/espace/{kind}/entreprise/{company.identifier}/"


def test_the_space_home_offers_adhesion_substitution_and_activation(logged):
    page = _text(logged.get("/espace/"))
    for entry in [
        "Adhérer aux services en ligne",
        "Vos adhésions :",
        "Effectuer une demande",
        "Suivre vos adhésions",
        "Supprimer un formulaire",
        "Gérer vos substitutions (remplacer le titulaire)",
        "Activer mes services",
    ]:
        assert entry in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [("123456789", "Numéro SIREN invalide"), ("732 829 320", "Ce SIREN n'est pas connu")],
)
def test_the_siren_is_checked_next_to_the_field(logged, typed, message):
    page = _text(logged.post("/espace/adhesions/", {"identifier": typed}))
    assert message in page
    assert 'aria-invalid="true"' in page or "fr-input-group--error" in page


def test_a_known_siren_with_spaces_leads_to_the_form(logged, martin):
    spaced = f"{martin.identifier[:3]} {martin.identifier[3:6]} {martin.identifier[6:]}"
    response = logged.post("/espace/adhesions/", {"identifier": spaced})
    assert response["Location"] == _form_url(martin)


def test_the_adhesion_form_recapitulates_who_asks_for_which_company(logged, alice, bob, martin):
    HabilitationFactory(company=martin, subscriber=bob, code="declarer_tva")
    page = _text(logged.get(_form_url(martin)))
    for text in [
        "Votre formulaire de demande(s) d'adhésion",
        "Je soussigné(e)",
        "Madame Alice TITULAIRE",
        "Numéro d'abonné",
        alice.subscriber_number,
        "Adresse électronique de connexion à l'espace",
        "Adhère pour l'entreprise",
        "SARL MARTIN DISTRIBUTION",
        "Adresse fiscale de l'entreprise",
        "45 AVENUE JEAN JAURES",
        "Réception des courriels d'information générale",
        "Je reconnais avoir pris connaissance des conditions générales",
        "Confirmer et valider la demande d'adhésion",
        "Payer TVA",
    ]:
        assert text in page, text
    # The managed service is shown, but cannot be ticked.
    assert "disabled" in page.split('id="service-declarer_tva"')[1].split(">")[0]
    assert "Déjà géré" in page
    assert 'id="company-email-fieldset"' in page and 'id="bank-fieldset"' in page


def test_no_bank_fields_when_an_active_account_is_known(logged, martin):
    add_account(martin, BankDetails.parse(IBAN, BIC, "SARL MARTIN"))
    page = _text(logged.get(_form_url(martin)))
    assert 'id="bank-fieldset"' not in page


def _post(client, company, **data):
    return client.post(_form_url(company), {"general_information": "non", "accept": "on", **data})


def test_messagerie_without_the_company_email_is_refused_next_to_the_field(logged, martin):
    response = _post(logged, martin, services=["messagerie"])
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["company_email"] == [
        "Le service Messagerie demande l'adresse électronique de l'entreprise : saisissez-la."
    ]
    assert not PostalRequest.objects.exists()


def test_the_conditions_must_be_accepted(logged, martin):
    response = logged.post(_form_url(martin), {"services": ["declarer_is"]})
    assert "Vous devez accepter les conditions générales" in _text(response)
    assert not PostalRequest.objects.exists()


def test_a_forged_post_for_a_managed_service_is_refused(logged, bob, martin):
    HabilitationFactory(company=martin, subscriber=bob, code="declarer_tva")
    response = _post(logged, martin, services=["declarer_tva"])
    assert "ne peut pas faire l'objet de cette demande" in _text(response)
    assert not PostalRequest.objects.exists()


def test_a_wrong_iban_is_refused_next_to_its_field(logged, martin):
    response = _post(logged, martin, services=["payer_tva"], iban="FR76 1", bic=BIC, holder="X")
    assert response.context["form"].errors["iban"][0].startswith("IBAN invalide")


def test_one_payer_box_asks_for_payer_as_a_whole_and_says_what_happens_next(logged, martin):
    with time_machine.travel(CURRENT_TIME, tick=False):
        response = _post(
            logged,
            martin,
            services=["messagerie", "payer_tva"],
            company_email="Contact@Martin.example",
            company_email_confirmation="contact@martin.example",
            iban="fr76 3000 6000 0112 3456 7890 189",
            bic="bnpafrpp",
            holder="SARL MARTIN DISTRIBUTION",
        )
        req = PostalRequest.objects.get()
        assert response["Location"] == f"/espace/demandes/{req.pk}/"
        assert req.services == ["messagerie", "payer"]
        assert req.company_email == "contact@martin.example" and req.bank_iban == IBAN
        page = _text(logged.get(response["Location"]))
    assert "Et maintenant ?" in page
    assert "contact@martin.example" in page
    assert "avant le 05/03/2026 à 10:30" in page
    assert "45 AVENUE JEAN JAURES" in page and "valable 60 jours" in page


def test_follow_withdraw_and_the_states(logged, alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        open_ = PostalRequestFactory(requester=alice, company=martin, services=["declarer_is"])
        old = PostalRequestFactory(requester=alice, company=martin, services=["declarer_tva"])
        traveller.shift(timedelta(days=1))
        awaiting = PostalRequestFactory(
            awaiting_email=True, requester=alice, company=martin, company_email="c@martin.example"
        )
        traveller.shift(timedelta(days=60))
        page = _text(logged.get("/espace/adhesions/suivi/"))
        assert "Expirée le 01/05/2026 à 11:30" in page
        assert "Expirée le 06/03/2026 à 10:30" in page
        to_withdraw = logged.get("/espace/adhesions/suivi/?a-supprimer").context["rows"]
        assert to_withdraw == []
        traveller.move_to(CURRENT_TIME + timedelta(days=2))
        rows = logged.get("/espace/adhesions/suivi/?a-supprimer").context["rows"]
        assert {req.pk for req, _, _ in rows} == {open_.pk, old.pk, awaiting.pk}
        assert logged.get(f"/espace/demandes/{open_.pk}/supprimer/").status_code == 200
        response = logged.post(f"/espace/demandes/{open_.pk}/supprimer/")
        assert response["Location"] == f"/espace/demandes/{open_.pk}/"
        page = _text(logged.get(response["Location"]))
    assert "Supprimée le 04/03/2026 à 10:30" in page
    assert PostalRequest.objects.get(pk=awaiting.pk).state == RequestState.AWAITING_EMAIL


def test_someone_elses_request_is_refused_and_audited(client, alice, bob, martin):
    req = PostalRequestFactory(requester=alice, company=martin, services=["declarer_is"])
    client.force_login(bob)
    for url in [f"/espace/demandes/{req.pk}/", f"/espace/demandes/{req.pk}/supprimer/"]:
        assert client.get(url).status_code == 403
    assert client.post(f"/espace/demandes/{req.pk}/supprimer/").status_code == 403
    forged = client.post(
        "/espace/activer-mes-services/", {"request": req.pk, f"r{req.pk}-code": letter_code(req)}
    )
    assert forged.status_code == 403
    req.refresh_from_db()
    assert req.state == RequestState.LETTER_SENT
    assert not Habilitation.objects.exists()
    refusals = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, actor=bob)
    assert refusals.count() == 4
    assert refusals.first().target == martin.identifier


def test_a_request_number_in_other_digits_designates_no_request(logged, alice, martin):
    """docs/companies.md §1.5: the request's number is read in ASCII digits only; `int()`
    would read Arabic-Indic digits as the same number."""
    req = PostalRequestFactory(requester=alice, company=martin, services=["declarer_is"])
    other_digits = str(req.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = logged.post(
        "/espace/activer-mes-services/",
        {"request": other_digits, f"r{req.pk}-code": letter_code(req)},
    )
    assert response.status_code == 403
    req.refresh_from_db()
    assert req.state == RequestState.LETTER_SENT


def test_activer_mes_services_wrong_then_right_code(logged, alice, martin):
    req = PostalRequestFactory(
        requester=alice, company=martin, services=["declarer_is", "declarer_tva"]
    )
    page = _text(logged.get("/espace/activer-mes-services/"))
    assert "SARL MARTIN DISTRIBUTION" in page and "Déclarer l'impôt sur les sociétés" in page
    code = letter_code(req)
    wrong = logged.post(
        "/espace/activer-mes-services/", {"request": req.pk, f"r{req.pk}-code": code[::-1]}
    )
    assert "Il vous reste 4 essais" in _text(wrong)
    response = logged.post(
        "/espace/activer-mes-services/", {"request": req.pk, f"r{req.pk}-code": f" {code} "}
    )
    assert response["Location"] == f"/espace/demandes/{req.pk}/"
    page = _text(logged.get(response["Location"]))
    assert "Vous êtes désormais administrateur titulaire de : Déclarer TVA" in page
    assert "Voir tous mes dossiers" in page
    portfolio = _text(logged.get("/espace/dossiers/"))
    assert "SARL MARTIN DISTRIBUTION" in portfolio


def test_a_blocked_request_says_so_on_the_activation_page(logged, alice, martin):
    req = PostalRequestFactory(requester=alice, company=martin, services=["declarer_is"])
    for _ in range(5):
        response = logged.post(
            "/espace/activer-mes-services/", {"request": req.pk, f"r{req.pk}-code": "x" * 12}
        )
    assert "trop de fois" in _text(response)
    req.refresh_from_db()
    assert req.state == RequestState.BLOCKED
    assert "Aucune de vos demandes" in _text(logged.get("/espace/activer-mes-services/"))


def test_the_activation_entry_of_the_login_page_leads_a_logged_in_subscriber_to_services(logged):
    assert logged.get("/activer/")["Location"] == "/espace/activer-mes-services/"


def test_the_company_email_link_page_confirms_with_a_button(client, alice, martin):
    PostalRequestFactory(
        awaiting_email=True, requester=alice, company=martin, company_email="c@martin.example"
    )
    pk, token = last_link("c@martin.example")
    url = f"/adresse-electronique-entreprise/{pk}/{token}/"
    page = _text(client.get(url))
    assert "Confirmez-vous que c'est bien l'adresse de l'entreprise" in page
    assert not Message.objects.filter(kind=Kind.LETTER).exists()  # opening it confirms nothing
    done = _text(client.post(url))
    assert "est confirmée" in done and "Le courrier contenant le code" in done
    assert Message.objects.filter(kind=Kind.LETTER).count() == 1
    bad = client.get(f"/adresse-electronique-entreprise/{pk}/{'A' * 12}/")
    assert bad.status_code == 400 and "pas valable" in _text(bad)


def test_the_substitution_form_offers_only_services_with_another_titular(logged, alice, bob):
    simonet = CompanyFactory(with_fiscal_address=True, name="SARL SIMONET")
    HabilitationFactory(company=simonet, subscriber=bob, code="declarer_is")
    HabilitationFactory(company=simonet, subscriber=alice, code="declarer_tva")
    response = logged.get(_form_url(simonet, "substitutions"))
    page = _text(response)
    assert "Votre formulaire de demande(s) de substitution" in page
    available = {c.value for c in response.context["choices"] if c.available}
    assert available == {"declarer_is"}
    assert "Aucun titulaire : demandez une adhésion" in page
    assert "Vous en êtes le titulaire" in page
    response = logged.post(
        _form_url(simonet, "substitutions"), {"services": ["declarer_is"], "accept": "on"}
    )
    req = PostalRequest.objects.get()
    assert response["Location"] == f"/espace/demandes/{req.pk}/"
    page = _text(logged.get(response["Location"]))
    assert "L'administrateur titulaire actuel a été informé" in page
    assert Message.objects.filter(to=bob.email, purpose="substitution_requested").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/espace/adhesions/",
        "/espace/adhesions/suivi/",
        "/espace/substitutions/",
        "/espace/activer-mes-services/",
        "/espace/demandes/1/",
    ],
)
def test_the_pages_need_a_login(client, url):
    assert client.get(url).status_code == 302


def test_every_mistake_of_the_adhesion_form_is_shown_at_once(logged, martin):
    """Issue 12 §5: conditions, company e-mail and bank account in one submit (they used to come
    one a submit), each next to its field and summed up at the top; nothing recorded."""
    response = logged.post(
        _form_url(martin),
        {
            "services": ["messagerie", "payer_tva"],
            "iban": "FR76 1234",
            "general_information": "non",
        },
    )
    page = _text(response)
    assert page.count("<title>Erreur : Votre formulaire de demande(s) d'adhésion") == 1
    assert "Le formulaire contient 5 erreurs" in page
    for field, message in [
        ("company_email", "Le service Messagerie demande l'adresse électronique de l'entreprise"),
        ("iban", "IBAN invalide"),
        ("bic", "Saisissez le BIC de la banque."),
        ("holder", "Saisissez le nom du titulaire du compte."),
        ("accept", "Vous devez accepter les conditions générales pour continuer."),
    ]:
        assert f'<a href="#id_{field}">{message}' in page
        assert page.count(message) == 2  # in the summary and next to the field
    assert page.count("fr-input-group--error") == 4
    assert "fr-checkbox-group--error" in page
    assert not PostalRequest.objects.exists()


def test_a_bank_field_in_error_is_not_also_told_that_an_account_is_needed(logged, martin):
    page = _text(
        logged.post(
            _form_url(martin),
            {"services": ["payer_tva"], "bic": "BNPAFRPP", "general_information": "non"},
        )
    )
    assert "Saisissez l'IBAN du compte." in page
    assert "Un service Payer demande un compte bancaire" not in page


def test_a_double_click_on_send_shows_the_same_request_and_sends_one_letter(logged, martin):
    with time_machine.travel(CURRENT_TIME, tick=False):
        first = _post(logged, martin, services=["declarer_is"])
        second = _post(logged, martin, services=["declarer_is"])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Message.objects.filter(kind=Kind.LETTER).count() == 1
    assert PostalRequest.objects.get().state == RequestState.LETTER_SENT
