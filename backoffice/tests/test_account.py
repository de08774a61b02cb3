"""*Mon compte* (docs/backoffice.md §1.8) and the supervisor's reset of a second factor (§1.9):
the current password before any change, the subscribers' password rules, a new application
confirmed by its own code before the former one goes, new recovery codes, the agent's other
sessions ended; a reset leaves the agent a code by e-mail that stands in for the second factor
once, behind the password."""

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher

from audit.models import Action, AuditEvent
from backoffice import agent_accounts, auth
from backoffice.models import Agent, AgentDevice, AgentRecoveryCode
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, log_in, make_agent, totp_next
from core import clock
from tests.helpers import CURRENT_TIME, last_code_sent_to, last_email_to

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Le héron pêche au bord du canal sous la pluie"
REASON = {"reason": "Téléphone perdu, identité vérifiée en personne", "ticket": "T-7"}


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _change(client, current=AGENT_PASSWORD, new=NEW_PASSWORD, confirmation=None):
    return client.post(
        "/agents/compte/mot-de-passe/",
        {
            "current_password": current,
            "new_password1": new,
            "new_password2": new if confirmation is None else confirmation,
        },
    )


def _field_error(page: str, field: str, message: str) -> bool:
    """The message is shown beside the field (DSFR's error block of that input)."""
    block = page.split(f'id="id_{field}-desc-error"', 1)
    return len(block) == 2 and message in block[1].split("</div>", 1)[0]


# --- Mon compte ------------------------------------------------------------------------------


def test_mon_compte_shows_the_agent_and_the_links(client):
    agent = make_agent(AgentRole.GESTION)
    log_in(client, agent)
    page = _page(client.get("/agents/compte/"))
    assert agent.email in page and "Gestion" in page
    assert "codes de secours restants : 0" in page
    assert "/agents/compte/mot-de-passe/" in page and "/agents/compte/application/" in page
    assert "Mon compte" in _page(client.get("/agents/"))


# --- the password ----------------------------------------------------------------------------


def test_a_wrong_current_password_is_refused_beside_its_field_and_counted(client):
    agent = make_agent()
    log_in(client, agent)
    page = _page(_change(client, current="pas le bon mot de passe"))
    assert _field_error(page, "current_password", "Votre mot de passe actuel est incorrect.")
    agent.refresh_from_db()
    assert check_password(AGENT_PASSWORD, agent.password)
    assert AuditEvent.objects.filter(action=Action.AGENT_REAUTHENTICATION_FAILED).count() == 1


def test_too_many_wrong_current_passwords_end_the_session(client):
    agent = make_agent()
    window_start = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # the limit's windows are fixed
    with time_machine.travel(window_start, tick=False):
        log_in(client, agent)
        for _ in range(5):
            assert _change(client, current="toujours faux").status_code == 200
        response = _change(client)  # the right one, too late
        assert response["Location"] == "/agents/connexion/"
        assert client.get("/agents/").status_code == 302
    agent.refresh_from_db()
    assert check_password(AGENT_PASSWORD, agent.password)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("court", "au moins 20 caractères"),
        ("agent.numero@agents.example.fr et encore", "votre adresse électronique"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaa", "trop faible"),
        (AGENT_PASSWORD, "différent de votre mot de passe actuel"),
    ],
)
def test_the_subscribers_rules_apply_beside_the_new_password(client, new, message):
    agent = make_agent(email="agent.numero@agents.example.fr")
    log_in(client, agent)
    page = _page(_change(client, new=new))
    assert _field_error(page, "new_password1", message), page
    agent.refresh_from_db()
    assert check_password(AGENT_PASSWORD, agent.password)
    assert not AuditEvent.objects.filter(action=Action.AGENT_PASSWORD_CHANGED).exists()


def test_the_confirmation_must_match(client):
    log_in(client, make_agent())
    page = _page(_change(client, confirmation=NEW_PASSWORD + "!"))
    assert _field_error(page, "new_password2", "Les deux mots de passe ne sont pas identiques.")


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(client):
    agent = make_agent()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        log_in(client, agent)
        other = type(client)()
        traveller.shift(timedelta(seconds=30))  # a new step: a TOTP code serves once
        log_in(other, agent)
        assert other.get("/agents/").status_code == 200
        response = _change(client)
        assert response["Location"] == "/agents/compte/"
        assert "Votre mot de passe est modifié" in _page(client.get("/agents/compte/"))
        assert client.get("/agents/").status_code == 200
        assert other.get("/agents/").status_code == 302
    agent.refresh_from_db()
    assert check_password(NEW_PASSWORD, agent.password)
    # Hashed with the project's hasher (the tests' fast one stands in for Argon2).
    assert identify_hasher(agent.password).algorithm == _first_hasher_algorithm()
    assert AuditEvent.objects.filter(action=Action.AGENT_PASSWORD_CHANGED).count() == 1
    assert "a été modifié" in last_email_to(agent.email, "agent_password_changed").body
    # The new password logs in, the former one no longer does.
    client.post("/agents/deconnexion/")
    refused = client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    assert refused.status_code == 200
    accepted = client.post("/agents/connexion/", {"email": agent.email, "password": NEW_PASSWORD})
    assert accepted["Location"] == "/agents/connexion/code/"


def _first_hasher_algorithm() -> str:
    from django.utils.module_loading import import_string

    return import_string(settings.PASSWORD_HASHERS[0]).algorithm


def test_the_strength_indicator_scores_for_the_agent(client):
    log_in(client, make_agent())
    weak = client.post("/agents/compte/mot-de-passe/force/", {"new_password1": "aaaa"})
    assert "Faible" in weak.content.decode()
    strong = client.post("/agents/compte/mot-de-passe/force/", {"new_password1": NEW_PASSWORD})
    assert "Fort" in strong.content.decode()


# --- a new application -----------------------------------------------------------------------


def _start(client, password=AGENT_PASSWORD):
    return client.post("/agents/compte/application/", {"current_password": password})


def _candidate(agent) -> AgentDevice:
    return AgentDevice.objects.get(user=agent, confirmed=False)


def test_a_new_application_needs_the_current_password(client):
    agent = make_agent()
    log_in(client, agent)
    page = _page(_start(client, "pas le bon"))
    assert _field_error(page, "current_password", "Votre mot de passe actuel est incorrect.")
    assert not AgentDevice.objects.filter(user=agent, confirmed=False).exists()
    assert client.get("/agents/compte/application/nouvelle/")["Location"] == (
        "/agents/compte/application/"
    )


def test_a_wrong_code_of_the_new_application_keeps_the_former_one(client):
    agent = make_agent()
    old = agent.device
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        log_in(client, agent)
        assert _start(client)["Location"] == "/agents/compte/application/nouvelle/"
        page = _page(client.get("/agents/compte/application/nouvelle/"))
        new = _candidate(agent)
        assert new.base32_key in page and 'src="data:image/svg+xml' in page
        wrong = f"{(int(auth.current_code(new)) + 1) % 1_000_000:06d}"
        page = _page(client.post("/agents/compte/application/nouvelle/", {"code": wrong}))
        assert _field_error(page, "code", "Ce code est incorrect ou a déjà servi.")
        assert agent.device == old
        # The former application still opens the back office.
        other = type(client)()
        traveller.shift(timedelta(seconds=30))
        log_in(other, agent)
        assert other.get("/agents/").status_code == 200


def test_a_confirmed_new_application_replaces_the_former_one(client):
    agent = make_agent()
    old_device = agent.device
    old_codes = auth.new_recovery_codes(agent)
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        log_in(client, agent)
        other = type(client)()
        traveller.shift(timedelta(seconds=30))
        log_in(other, agent)
        _start(client)
        new = _candidate(agent)
        response = client.post(
            "/agents/compte/application/nouvelle/", {"code": auth.current_code(new)}
        )
        page = _page(response)
        assert page.count("<code>") == 10 and "l'ancienne ne sert plus" in page
        assert client.get("/agents/").status_code == 200
        assert other.get("/agents/").status_code == 302
        assert not AgentDevice.objects.filter(pk=old_device.pk).exists()
        new.refresh_from_db()
        assert new.confirmed and agent.device == new
        assert AgentRecoveryCode.objects.filter(agent=agent).count() == 10
        # The new factor logs in; the former recovery codes no longer do.
        client.post("/agents/deconnexion/")
        client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
        assert client.post("/agents/connexion/code/", {"code": old_codes[0]}).status_code == 200
        traveller.shift(timedelta(minutes=1))  # past django-otp's delay after that failure
        response = client.post("/agents/connexion/code/", {"code": totp_next(new)})
        assert response["Location"] == "/agents/"
    assert AuditEvent.objects.filter(action=Action.AGENT_DEVICE_REPLACED).count() == 1
    assert "nouvelle application" in last_email_to(agent.email, "agent_device_replaced").body


def test_the_new_application_must_be_confirmed_within_ten_minutes(client):
    agent = make_agent()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        log_in(client, agent)
        _start(client)
        traveller.shift(timedelta(minutes=11))
        client.get("/agents/")  # the session's idle timeout is pushed back
        response = client.get("/agents/compte/application/nouvelle/")
    assert response["Location"] == "/agents/compte/application/"


def test_a_password_alone_never_sees_the_new_secret(client):
    """A new application waiting for its code: someone with the password only (no second
    factor) reaches neither the enrolment page nor the secret."""
    agent = make_agent()
    owner = type(client)()
    log_in(owner, agent)
    _start(owner)
    secret = _candidate(agent).base32_key
    client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    response = client.get("/agents/activation/application/")
    assert response["Location"] == "/agents/connexion/"
    assert secret not in _page(client.get("/agents/connexion/code/"))
    response = client.post("/agents/activation/application/", {"code": "123456"})
    assert response["Location"] == "/agents/connexion/"


# --- a supervisor resets a second factor -----------------------------------------------------


@pytest.fixture
def supervisor(client):
    agent = make_agent(AgentRole.SUPERVISION)
    log_in(client, agent)
    return agent


def _reset(client, agent, data=REASON):
    return client.post(f"/agents/actions/reset_second_factor/{agent.pk}/", data)


def test_a_reset_needs_a_reason(client, supervisor):
    agent = make_agent()
    page = _page(_reset(client, agent, {"reason": " "}))
    assert _field_error(page, "reason", "Saisissez le motif de cette action.")
    assert agent.device is not None


def test_a_reset_ends_the_agents_sessions_and_emails_a_code_nobody_else_sees(client, supervisor):
    agent = make_agent()
    auth.new_recovery_codes(agent)
    with time_machine.travel(CURRENT_TIME, tick=False):
        holder = type(client)()
        log_in(holder, agent)
        response = _reset(client, agent)
        code = last_code_sent_to(agent.email)
        page = _page(client.get(response["Location"]))
        assert code not in page and "un code lui est envoyé par courriel" in page
        assert holder.get("/agents/").status_code == 302
    assert not AgentDevice.objects.filter(user=agent).exists()
    assert not AgentRecoveryCode.objects.filter(agent=agent).exists()
    mail = last_email_to(agent.email, "agent_second_factor_reset").body
    assert supervisor.full_name in mail and REASON["reason"] in mail
    event = AuditEvent.objects.get(action=Action.AGENT_SECOND_FACTOR_RESET)
    assert event.target == agent.email
    assert event.details["agent"]["email"] == supervisor.email
    assert event.details["agent"]["reason"] == REASON["reason"]
    assert event.details["agent"]["ticket"] == "T-7"


def test_after_a_reset_the_password_and_the_emailed_code_lead_to_a_new_application(
    client, supervisor
):
    agent = make_agent()
    _reset(client, agent)
    code = last_code_sent_to(agent.email)
    person = type(client)()
    person.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    page = _page(person.get("/agents/connexion/code/"))
    assert "Code reçu par courriel" in page
    # A password alone opens no enrolment.
    assert person.get("/agents/activation/application/")["Location"] == "/agents/connexion/"
    wrong = _page(person.post("/agents/connexion/code/", {"code": "ABCDEFGHJKLM"}))
    assert _field_error(wrong, "code", "Ce code est incorrect ou n'est plus valable")
    response = person.post("/agents/connexion/code/", {"code": code})
    assert response["Location"] == "/agents/activation/application/"
    device = _candidate(agent)
    assert device.base32_key in _page(person.get("/agents/activation/application/"))
    response = person.post("/agents/activation/application/", {"code": auth.current_code(device)})
    assert response.content.decode().count("<code>") == 10
    assert person.get("/agents/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.AGENT_RESET_CODE_USED).count() == 1
    # The code served once.
    agent.refresh_from_db()
    assert agent.activation_code_hash == ""


def test_the_reset_code_never_sets_a_password(client, supervisor):
    """The first-login page takes the code of a new account only: with a reset's code, someone
    who reads the mailbox but lacks the password gets nothing."""
    agent = make_agent()
    _reset(client, agent)
    person = type(client)()
    response = person.post(
        "/agents/activation/",
        {
            "email": agent.email,
            "code": last_code_sent_to(agent.email),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert "ce code n'est plus valable" in _page(response)
    agent.refresh_from_db()
    assert check_password(AGENT_PASSWORD, agent.password)


def test_a_reset_code_expires(client, supervisor):
    agent = make_agent()
    _reset(client, agent)
    code = last_code_sent_to(agent.email)
    Agent.objects.filter(pk=agent.pk).update(activation_expires_at=clock.now())
    person = type(client)()
    response = person.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    assert response.status_code == 200  # no second factor of any kind: refused as usual
    assert person.post("/agents/connexion/code/", {"code": code})["Location"] == (
        "/agents/connexion/"
    )


@pytest.mark.parametrize("which", ["self", "not_activated", "inactive"])
def test_what_a_reset_refuses(client, supervisor, which):
    if which == "self":
        target, message = supervisor, "ne peut pas viser votre propre compte"
    elif which == "not_activated":
        target = agent_accounts.create_agent("neuf@agents.example.fr", "Noé", "Neuf", "gestion")
        message = "renvoyez-lui plutôt un code d'activation"
    else:
        target = make_agent()
        Agent.objects.filter(pk=target.pk).update(is_active=False)
        message = "Ce compte est désactivé."
    page = _page(_reset(client, target))
    assert message in page
    refused = AuditEvent.objects.get(action=Action.AGENT_ACTION_REFUSED)
    assert refused.details["agent_action"] == "reset_second_factor"
