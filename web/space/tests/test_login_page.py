import pytest

from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post("/", {"username": email, "password": password})


def test_the_home_page_is_the_login_page(client):
    page = client.get("/").content.decode()
    for text in [
        "Connexion à mon espace professionnel",
        "Adresse électronique",
        "Mot de passe",
        "Connexion",
        "Mot de passe oublié",
        "Créer mon espace professionnel",
        "Activer mon espace / mes services",
    ]:
        assert text in page


def test_logging_in_shows_the_name_and_number_and_the_menus(client):
    subscriber = SubscriberFactory(email="lila@example.fr")
    response = login(client, "LILA@example.fr", PASSWORD)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Mme Lila ROSEMONDE" in page
    assert f"Abonné : <strong>{subscriber.subscriber_number}</strong>" in page
    for menu in ["Mes dossiers", "Mon espace", "Mes services", "Quitter"]:
        assert menu in page
    assert "Vous n'avez encore aucun dossier." in page.replace("&#x27;", "'")


def test_a_new_session_id_is_given_at_login(client):
    SubscriberFactory(email="lila@example.fr")
    client.get("/")
    before = client.session.session_key
    _login(client, "lila@example.fr", PASSWORD)
    pending = client.session.session_key
    assert pending != before  # the pending login too
    login(client, "lila@example.fr", PASSWORD)
    assert client.session.session_key not in (before, pending)


def test_the_same_answer_for_an_unknown_email_and_a_wrong_password(client):
    SubscriberFactory(email="lila@example.fr")
    unknown = _login(client, "nobody@example.fr", PASSWORD)
    wrong = _login(client, "lila@example.fr", "not the password at all!!")
    assert unknown.status_code == wrong.status_code == 200
    strip = lambda r, e: r.content.decode().replace(e, "").split("csrfmiddlewaretoken")[0]  # noqa: E731
    assert "Adresse électronique ou mot de passe incorrect." in unknown.content.decode()
    assert strip(unknown, "nobody@example.fr").count("incorrect") == strip(
        wrong, "lila@example.fr"
    ).count("incorrect")


def test_the_space_page_needs_a_login(client):
    response = client.get("/espace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/?next=")


def test_quitter_logs_out_and_is_audited(client):
    subscriber = SubscriberFactory(email="lila@example.fr")
    login(client, "lila@example.fr", PASSWORD)
    assert client.get("/quitter/").status_code == 405  # a link cannot log you out
    client.post("/quitter/")
    assert client.get("/espace/").status_code == 302
    actions = list(AuditEvent.objects.filter(actor=subscriber).values_list("action", flat=True))
    assert actions == [
        Action.LOGOUT,
        Action.LOGIN_SUCCEEDED,
        Action.FACTOR_VERIFIED,
        Action.FACTOR_CODE_SENT,
    ]


def test_failed_logins_are_audited_with_the_address(client):
    _login(client, "nobody@example.fr", "wrong")
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.target == "nobody@example.fr"
    assert event.ip_address == "127.0.0.1"


def test_failures_slow_down_the_next_attempts_whatever_the_email(client):
    import time_machine

    from tests.helpers import CURRENT_TIME

    SubscriberFactory(email="lila@example.fr")
    for email in ("nobody@example.fr", "lila@example.fr"):
        with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
            for _ in range(3):
                _login(client, email, "wrong password, again and again")
            page = _login(client, email, PASSWORD).content.decode()
            assert "patientez 2 secondes" in page
            traveller.shift(1)
            assert "patientez 1 seconde " in _login(client, email, PASSWORD).content.decode()
            traveller.shift(1)
            response = _login(client, email, PASSWORD)
            if email == "lila@example.fr":
                assert response.status_code == 302
            else:
                assert (
                    "Adresse électronique ou mot de passe incorrect." in response.content.decode()
                )
