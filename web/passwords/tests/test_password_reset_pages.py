"""*Mot de passe oublié* (docs/accounts.md §10, docs/security.md §2, §7): e-mail, trust question, an
e-mailed link, single use, short-lived, and nothing telling whether an e-mail has a space."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.test import Client, override_settings

from accounts.flows.password_reset import reset_password
from accounts.models import PasswordResetRequest
from accounts.passwords import SAME_AS_CURRENT
from audit.models import Action, AuditEvent
from correspondence.models import Message
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import (
    CURRENT_TIME,
    SQLITE_REFUSES_CONCURRENT_WRITERS,
    comparable,
    last_email_to,
    login,
    run_concurrently,
)

pytestmark = pytest.mark.django_db

NEW = "Sept chouettes grises dansent sous le vieux chêne"
START = "/mot-de-passe-oublie/"
QUESTION = "/mot-de-passe-oublie/question-de-confiance/"
NEW_PASSWORD = "/mot-de-passe-oublie/nouveau-mot-de-passe/"
LINK_RE = re.compile(
    r"^https?://[^/]+(/mot-de-passe-oublie/lien/[A-Za-z0-9_-]{22}/[A-Za-z0-9]{32}/)$", re.M
)


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _ask(client, email="lila@example.fr", question="animal", answer="Lili"):
    first = client.post(START, {"email": email})
    second = client.post(QUESTION, {"trust_question": question, "trust_answer": answer})
    return first, second


def _link(email="lila@example.fr") -> str:
    body = last_email_to(email, "password_reset_link").body
    return LINK_RE.search(body).group(1)


def _reset(client, link, password=NEW):
    client.get(link)
    return client.post(NEW_PASSWORD, {"new_password1": password, "new_password2": password})


@pytest.fixture
def lila(db):
    return SubscriberFactory(email="lila@example.fr")


def test_the_login_page_leads_to_it(client):
    assert 'href="/mot-de-passe-oublie/">Mot de passe oublié</a>' in _page(client.get("/"))
    page = _page(client.get(START))
    assert "Saisissez votre adresse électronique de connexion" in page
    assert client.get(QUESTION)["Location"] == START


def test_an_unknown_email_and_a_known_one_get_identical_responses(lila):
    known, unknown = Client(), Client()
    responses = {}
    for name, client, email in [("known", known, lila.email), ("unknown", unknown, "x@example.fr")]:
        first, second = _ask(client, email=email, answer="not the answer")
        question_page = client.get(QUESTION)
        responses[name] = [first, question_page, second]
    for known_response, unknown_response in zip(responses["known"], responses["unknown"]):
        assert known_response.status_code == unknown_response.status_code
        assert known_response.get("Location") == unknown_response.get("Location")
        assert comparable(_page(known_response)) == comparable(_page(unknown_response))
    assert responses["known"][0]["Location"] == QUESTION
    assert "ne correspond pas à nos informations" in _page(responses["unknown"][2])
    assert "lila@example.fr" not in _page(responses["known"][1])
    assert not Message.objects.exists()


def test_the_question_page_does_not_show_the_space_s_question(client, lila):
    client.post(START, {"email": lila.email})
    page = _page(client.get(QUESTION))
    # Every question is offered, none preselected: the page is the same for every e-mail.
    for label in ["Quel est votre surnom ?", "Le nom de votre animal de compagnie ?"]:
        assert label in page
    select = page.split('name="trust_question"')[1].split("</select>")[0]
    assert select.count("selected") == 1
    assert '<option value="" selected>Choisissez votre question</option>' in select


def test_a_wrong_question_or_answer_sends_nothing_and_is_audited(client, lila):
    _ask(client, question="surnom", answer="Lili")
    _ask(client, question="animal", answer="Lulu")
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET_REFUSED).count() == 2


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "login.pair": "3/15m"})
def test_wrong_answers_lead_to_the_temporary_lock_for_known_and_unknown_emails(lila):
    for email in [lila.email, "nobody@example.fr"]:
        client = Client()
        for _ in range(3):
            _ask(client, email=email, answer="guess")
        _, second = _ask(client, email=email, answer="Lili")
        assert second.status_code == 429
        assert "Connexion temporairement bloquée" in _page(second)
    assert not Message.objects.exists()


def test_the_right_answer_whatever_case_and_accents_emails_a_link(client, lila):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _, response = _ask(client, email=" Lila@Example.fr", answer="  lîli ")
    assert response["Location"] == "/mot-de-passe-oublie/courriel-envoye/"
    sent = _page(client.get(response["Location"]))
    assert "Ce lien est valable 30 minutes et ne peut servir qu'une seule fois." in sent
    email = last_email_to("lila@example.fr", "password_reset_link")
    assert "jusqu'au 02/03/2026 à 11:00, heure de Paris" in email.body
    assert "ne vous adresse jamais de messages contenant un logo ou un lien" not in email.body
    assert LINK_RE.search(email.body)
    reset = PasswordResetRequest.objects.get(subscriber=lila)
    token = _link().rstrip("/").rsplit("/", 1)[1]
    assert token not in reset.token_hash  # only a hash is stored
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET_REQUESTED, actor=lila).exists()


def test_the_link_leads_to_a_new_password_then_to_login(client, lila):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _ask(client)
        link = _link()
        opened = client.get(link)
        assert opened["Location"] == NEW_PASSWORD  # the token leaves the address bar
        page = _page(client.get(NEW_PASSWORD))
        assert "Saisissez votre nouveau mot de passe" in page
        done = client.post(NEW_PASSWORD, {"new_password1": NEW, "new_password2": NEW})
        assert done["Location"] == "/mot-de-passe-oublie/termine/"
        recap = _page(client.get(done["Location"]))
        assert login(client, lila.email, NEW)["Location"] == "/espace/"
    assert "Ce mot de passe est valable jusqu'au <strong>01 mars 2029</strong>." in recap
    lila.refresh_from_db()
    assert lila.password_changed_at == CURRENT_TIME
    assert (
        "Vous avez modifié votre mot de passe" in last_email_to(lila.email, "password_changed").body
    )
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_CHANGED, actor=lila, details__via="reset"
    ).exists()


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "login.pair": "3/15m"})
def test_a_reset_lifts_the_lock_left_by_failed_logins(client, lila):
    _ask(client)
    for _ in range(3):
        login(Client(), lila.email, "somebody guessing the password")
    assert login(Client(), lila.email, PASSWORD).status_code == 429
    _reset(client, _link())
    assert login(Client(), lila.email, NEW)["Location"] == "/espace/"


def test_the_link_is_single_use_even_for_two_browsers_that_opened_it(lila):
    first, second = Client(), Client()
    _ask(first)
    link = _link()
    assert first.get(link)["Location"] == second.get(link)["Location"] == NEW_PASSWORD
    used = first.post(NEW_PASSWORD, {"new_password1": NEW, "new_password2": NEW})
    assert used["Location"] == "/mot-de-passe-oublie/termine/"
    other = "Le facteur distrait chante sous la pluie de mai"
    refused = second.post(NEW_PASSWORD, {"new_password1": other, "new_password2": other})
    assert "Ce lien de réinitialisation n'est pas ou plus valable" in _page(refused)
    assert "n'est pas ou plus valable" in _page(Client().get(link))
    lila.refresh_from_db()
    assert check_password(NEW, lila.password)


def test_the_link_expires_after_30_minutes(client, lila):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _ask(client)
        link = _link()
        traveller.shift(timedelta(minutes=29, seconds=59))
        assert Client().get(link)["Location"] == NEW_PASSWORD
        traveller.shift(1)
        response = _reset(client, link)
    assert "n'est pas ou plus valable" in _page(response)
    lila.refresh_from_db()
    assert check_password(PASSWORD, lila.password)
    assert not PasswordResetRequest.objects.exists()


def test_a_link_opened_in_time_is_refused_once_expired(client, lila):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _ask(client)
        client.get(_link())
        traveller.shift(timedelta(minutes=31))
        response = client.post(NEW_PASSWORD, {"new_password1": NEW, "new_password2": NEW})
    assert "n'est pas ou plus valable" in _page(response)
    lila.refresh_from_db()
    assert check_password(PASSWORD, lila.password)


def test_a_newer_link_kills_the_previous_one(client, lila):
    _ask(client)
    first = _link()
    _ask(client)
    second = _link()
    assert first != second
    assert "n'est pas ou plus valable" in _page(Client().get(first))
    assert Client().get(second)["Location"] == NEW_PASSWORD


def test_wrong_tokens_are_refused_and_audited_but_cannot_kill_someones_link(client, lila):
    _ask(client)
    link = _link()
    pk = link.split("/")[3]
    stranger = Client()
    for _ in range(6):
        page = _page(stranger.get(f"/mot-de-passe-oublie/lien/{pk}/{'A' * 32}/"))
        assert "n'est pas ou plus valable" in page
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET_LINK_FAILED).count() == 6
    # Counting wrong tokens would let anyone who learns a link's id kill it.
    assert _reset(client, link, NEW)["Location"] == "/mot-de-passe-oublie/termine/"


def test_a_reset_link_dies_when_the_login_email_changes(client, lila):
    from accounts.flows.identifiers_change import confirm_email_change, request_email_change

    _ask(client)
    link = _link()
    request_email_change(lila, "lila.nouvelle@example.fr")
    code = Message.objects.filter(to="lila.nouvelle@example.fr").latest("id").body
    code = next(line.strip() for line in code.splitlines() if len(line.strip()) == 12)
    confirm_email_change(lila, code)
    assert "n'est pas ou plus valable" in _page(client.get(link))


def test_the_new_password_must_differ_from_the_current_one(client, lila):
    _ask(client)
    response = _reset(client, _link(), PASSWORD)
    assert SAME_AS_CURRENT in _page(response)
    # The link survives a refused password.
    assert _reset(client, _link(), NEW)["Location"] == "/mot-de-passe-oublie/termine/"


def test_a_reset_ends_every_open_session(client, lila):
    elsewhere = Client()
    login(elsewhere, lila.email, PASSWORD)
    assert elsewhere.get("/espace/").status_code == 200
    _ask(client)
    _reset(client, _link())
    assert elsewhere.get("/espace/")["Location"].startswith("/?next=")


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason=SQLITE_REFUSES_CONCURRENT_WRITERS,
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uses_of_one_link_yield_exactly_one_success():
    lila = SubscriberFactory(email="lila@example.fr")
    _ask(Client())
    pk, token = _link().strip("/").split("/")[-2:]
    passwords = [NEW, "Le facteur distrait chante sous la pluie de mai"]
    outcomes = run_concurrently(*[lambda p=p: reset_password(pk, token, p) for p in passwords])
    assert sum(getattr(o, "code", None) == "password_reset.link_invalid" for o in outcomes) == 1
    assert sum(isinstance(o, datetime) for o in outcomes) == 1
    lila.refresh_from_db()
    assert sum(check_password(p, lila.password) for p in passwords) == 1
    assert Message.objects.filter(purpose="password_changed").count() == 1


def test_the_link_carries_a_random_public_id_not_the_rows_key(client, lila):
    _ask(client)
    link_id = _link().split("/")[3]
    reset = PasswordResetRequest.objects.get(subscriber=lila)
    assert link_id == reset.public_id and len(link_id) == 22 and link_id != str(reset.pk)
