"""The four pages of registration, as a browser without JavaScript would use them."""

import html

import pytest

from accounts.models import PendingRegistration
from tests.helpers import SIGNUP_EMAIL, SIGNUP_PROFILE, STRONG_PASSWORD, last_code_sent_to

pytestmark = pytest.mark.django_db

EMAIL, PROFILE = SIGNUP_EMAIL, SIGNUP_PROFILE


def _identifiers(client, **overrides):
    data = {
        "email": EMAIL,
        "email_confirmation": EMAIL,
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }
    return client.post("/creer-mon-espace/expert/identifiants/", data)


def _through_step_2(client):
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    response = _identifiers(client)
    assert response.status_code == 302, response.content.decode()


def test_nothing_is_possible_before_accepting_the_conditions(client):
    response = client.get("/creer-mon-espace/expert/identifiants/")
    assert response.status_code == 302
    assert response["Location"] == "/creer-mon-espace/expert/"
    response = client.post("/creer-mon-espace/expert/", {})
    assert "Vous devez accepter les conditions générales" in response.content.decode()


def test_the_steps_show_the_wording_of_the_seeds(client):
    page = client.get("/creer-mon-espace/expert/").content.decode()
    assert "Je reconnais avoir pris connaissance des conditions générales et les accepte" in page
    assert "Lire les conditions générales" in page
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    page = client.get("/creer-mon-espace/expert/identifiants/").content.decode()
    for label in [
        "Votre adresse électronique",
        "Confirmer votre adresse électronique",
        "Votre mot de passe",
        "Confirmer votre mot de passe",
    ]:
        assert label in page
    _identifiers(client)
    page = client.get("/creer-mon-espace/expert/formulaire/").content.decode()
    for label in [
        "Civilité",
        "Nom",
        "Prénom",
        "S.I.R.E.N ou équivalent",
        "Numéro de téléphone",
        "Question",
        "Réponse",
        "Quel est votre surnom ?",
        EMAIL,
    ]:
        assert label in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "pas-une-adresse"}, "Saisissez une adresse électronique valide"),
        (
            {"email": "a" * 95 + "@ex.fr", "email_confirmation": "a" * 95 + "@ex.fr"},
            "ne doit pas dépasser 100 caractères",
        ),
        (
            {"email_confirmation": "autre@example.fr"},
            "Les deux adresses électroniques sont différentes.",
        ),
        ({"password1": "court", "password2": "court"}, "au moins 20 caractères"),
        ({"password2": STRONG_PASSWORD + "x"}, "Les deux mots de passe sont différents."),
        (
            {"password1": "doomsayer.2.7mords.v", "password2": "doomsayer.2.7mords.v"},
            "les plus courants",
        ),
    ],
)
def test_bad_identifiers_get_a_french_message_next_to_the_field(client, overrides, message):
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    response = _identifiers(client, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert "fr-input-group--error" in page


def test_a_taken_email_is_refused_with_the_message_of_the_spec(client, registration):
    from accounts.flows.registration import submit_registration
    from accounts.flows.space_activation import activate_space
    from tests.helpers import last_code_sent_to

    submit_registration(registration)
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    pending = html.unescape(_identifiers(client).content.decode())
    assert "Une création d'espace est déjà en cours pour cette adresse électronique" in pending
    activate_space(registration.email, last_code_sent_to(registration.email))
    page = _identifiers(client).content.decode()
    assert "Cette adresse électronique est déjà associée à un espace" in page


@pytest.mark.parametrize(
    ("identifier", "message"),
    [("987654321", "Numéro SIREN invalide"), ("123456782", "Ce SIREN n&#x27;est pas connu")],
)
def test_the_company_siren_is_checked(client, company, identifier, message):
    _through_step_2(client)
    response = client.post(
        "/creer-mon-espace/expert/formulaire/", {**PROFILE, "company_identifier": identifier}
    )
    assert message in response.content.decode()


def test_a_foreign_company_identifier_is_not_checked_against_the_registry(client, company):
    _through_step_2(client)
    response = client.post(
        "/creer-mon-espace/expert/formulaire/",
        {**PROFILE, "foreign_company": "oui", "company_identifier": "DE123456789"},
    )
    assert response.status_code == 302


def test_a_password_containing_the_name_is_refused_at_the_form(client, company):
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    password = "Rosemonde cueille des pommes vertes"
    _identifiers(client, password1=password, password2=password)
    page = client.post("/creer-mon-espace/expert/formulaire/", PROFILE).content.decode()
    assert "Votre mot de passe contient votre nom ou votre prénom" in page


def test_mandatory_fields_are_required_with_a_message_each(client, company):
    _through_step_2(client)
    page = client.post("/creer-mon-espace/expert/formulaire/", {}).content.decode()
    for message in [
        "Choisissez votre civilité.",
        "Saisissez votre nom.",
        "Saisissez votre prénom.",
        "Saisissez votre numéro de téléphone.",
        "Saisissez votre ville.",
        "Saisissez la réponse à votre question de confiance.",
    ]:
        assert message in page.replace("&#x27;", "'")


def test_going_back_keeps_what_was_typed(client, company):
    _through_step_2(client)
    # Back from step 3 with a half-filled form: what was typed is kept.
    client.post("/creer-mon-espace/expert/formulaire/", {"last_name": "Rosemonde", "previous": "1"})
    page = client.get("/creer-mon-espace/expert/identifiants/").content.decode()
    assert f'value="{EMAIL}"' in page
    assert "Le mot de passe déjà saisi est conservé" in page
    # Keeping the stored password: both password fields left empty.
    response = _identifiers(client, password1="", password2="")
    assert response.status_code == 302
    assert (
        'value="Rosemonde"' in client.get("/creer-mon-espace/expert/formulaire/").content.decode()
    )
    # From the recap back to the form: everything is there.
    client.post("/creer-mon-espace/expert/formulaire/", PROFILE)
    recap = client.get("/creer-mon-espace/expert/recapitulatif/").content.decode()
    assert "SARLALERIS" in recap
    assert "987 654 324" in recap
    client.post("/creer-mon-espace/expert/recapitulatif/", {"previous": "1"})
    page = client.get("/creer-mon-espace/expert/formulaire/").content.decode()
    assert 'value="des Lilas"' in page
    assert 'value="Lili"' in page


def test_confirming_sends_the_code_and_shows_the_activation_page(client, company):
    _through_step_2(client)
    client.post("/creer-mon-espace/expert/formulaire/", PROFILE)
    response = client.post("/creer-mon-espace/expert/recapitulatif/", {}, follow=True)
    page = response.content.decode()
    assert "Activation de votre espace abonné" in page
    assert "Activez votre espace abonné" in page
    assert EMAIL in page
    assert PendingRegistration.objects.filter(email=EMAIL).exists()
    assert len(last_code_sent_to(EMAIL)) == 12
    # The wizard is forgotten: the password is no longer in the session.
    assert "registration_wizard" not in client.session


def test_the_password_never_sits_in_clear_in_the_session(client):
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    _identifiers(client)
    from django.contrib.sessions.models import Session

    stored = Session.objects.get(session_key=client.session.session_key).session_data
    assert STRONG_PASSWORD not in stored
    assert "pommes" not in Session.objects.get().get_decoded().get("registration_wizard", "")


def test_the_strength_indicator_asks_the_server_scorer(client):
    weak = client.post("/mot-de-passe/force/", {"password1": "aaaaaaaaaaaaaaaaaaaaaaa"})
    assert "Faible" in weak.content.decode()
    short = client.post("/mot-de-passe/force/", {"password1": "Xq7!vB"})
    assert "Faible" in short.content.decode() and "6 caractères sur 20" in short.content.decode()
    strong = client.post("/mot-de-passe/force/", {"password1": STRONG_PASSWORD})
    assert "Fort" in strong.content.decode()
    assert client.get("/mot-de-passe/force/").status_code == 405


def test_a_name_that_is_not_a_name_is_refused_next_to_its_field(client, company):
    _through_step_2(client)
    hostile = "Service des impôts\nAppelez le 01 23 45 67 89"
    response = client.post(
        "/creer-mon-espace/expert/formulaire/",
        {**PROFILE, "last_name": hostile, "first_name": "Lila\u202e"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["last_name"][0].startswith("Le nom ne peut contenir que des lettres")
    assert errors["first_name"][0].startswith("Le prénom ne peut contenir que des lettres")
    assert "Le nom ne peut contenir que des lettres" in response.content.decode().replace(
        "&#x27;", "'"
    )
    page = client.get("/creer-mon-espace/expert/recapitulatif/")
    assert page.status_code == 302  # the step is not done


def test_names_are_kept_normalised(client, company):
    _through_step_2(client)
    response = client.post(
        "/creer-mon-espace/expert/formulaire/",
        {**PROFILE, "last_name": "  de  la Fontaine ", "first_name": "E\u0301lodie"},
    )
    assert response.status_code == 302
    client.post("/creer-mon-espace/expert/recapitulatif/")
    pending = PendingRegistration.objects.get()
    assert (pending.last_name, pending.first_name) == ("de la Fontaine", "Élodie")


def _session_row_size(client) -> int:
    from django.contrib.sessions.models import Session

    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def test_a_huge_draft_does_not_bloat_the_session(client, company):
    """An anonymous POST of megabytes going back from step 3 keeps at most what the form
    allows (each value cut to its field's max_length)."""
    _through_step_2(client)
    huge = "A" * 800_000  # three fields: just under DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        "/creer-mon-espace/expert/formulaire/",
        {**PROFILE, "last_name": huge, "city": huge, "trust_answer": huge, "previous": "1"},
    )
    assert response.status_code == 302
    assert _session_row_size(client) < 10_000
    page = client.get("/creer-mon-espace/expert/formulaire/").content.decode()
    assert f'value="{"A" * 100}"' in page


def test_the_wizard_refuses_to_keep_more_than_its_setting(client, company, settings):
    settings.WIZARD_MAX_BYTES = 150  # step 1 fits (about 120 bytes sealed), step 2 does not
    assert client.post("/creer-mon-espace/expert/", {"accept": "on"}).status_code == 302
    response = _identifiers(client)
    assert response.status_code == 400


def test_the_accessibility_statement_is_linked_from_every_page(client):
    home = client.get("/").content.decode()
    assert 'href="/accessibilite/">Accessibilité : non conforme</a>' in home
    page = html.unescape(client.get("/accessibilite/").content.decode())
    for text in (
        "Déclaration d'accessibilité",
        "État de conformité",
        "non conforme",
        "RGAA",
        "Voies de recours",
        "Défenseur des droits",
    ):
        assert text in page


def test_the_login_page_does_not_steal_the_focus_from_the_skip_links(client):
    assert "autofocus" not in client.get("/").content.decode()
