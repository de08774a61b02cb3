"""Agents' authentication (docs/backoffice.md §1): a password, then always a TOTP code (or a
recovery code, or after a supervisor's reset the code e-mailed to the agent); after the
activation of a new account (`agent_accounts.py`), enrolment of the TOTP application by QR
code; sessions bound to the agent's epoch and to the network they were opened from."""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.utils.crypto import constant_time_compare, salted_hmac

from audit.models import Action
from audit.trail import record
from backoffice.models import Agent, AgentDevice, AgentRecoveryCode
from backoffice.sessions import network_of
from core import clock, codes, limits
from core.context import client_ip
from core.one_time import OneTimeSecret
from core.refusals import Refusal
from core.text import normalize_email

AGENT_ID, AGENT_HASH, PENDING_ID, PENDING_AT, REFRESHED_AT = (
    "agent_id",
    "agent_hash",
    "agent_pending_id",
    "agent_pending_at",
    "agent_refreshed_at",
)
# Set once the agent proved a code (activation, or a reset's e-mailed code): may enrol.
ENROL_ID = "agent_enrol_id"
# The network the session was opened from (docs/backoffice.md §1.6).
AGENT_NETWORK = "agent_network"
PENDING_SECONDS = 300  # between the password and the second factor, then the enrolment
RECOVERY_CODES = 10
# The agent's one-time codes (docs/security.md §5): the activation code of a new account and
# the code e-mailed after a reset share the agent's fields (one live at a time), each hashed
# under its own purpose; the recovery codes, typed from paper, are bound to the agent.
_AGENT_FIELDS = {
    "hash_field": "activation_code_hash",
    "expires_field": "activation_expires_at",
    "attempts_field": "activation_attempts",
}
# What a new code (activation or reset) writes on the agent.
CODE_FIELDS = ["activation_code_hash", "activation_expires_at", "activation_attempts"]
ACTIVATION_CODE = OneTimeSecret("backoffice.activation", **_AGENT_FIELDS)
RESET_CODE = OneTimeSecret("backoffice.second-factor-reset", **_AGENT_FIELDS)
RECOVERY_CODE = OneTimeSecret(
    "backoffice.recovery", alphabet=codes.PRINTED_CODE_ALPHABET, length=10
)
# A hash for unknown e-mails, so a wrong e-mail costs what a wrong password costs.
_DUMMY = make_password("not a real password")


def session_hash(agent: Agent) -> str:
    return salted_hmac(
        "backoffice.agent-session",
        f"{agent.pk}\n{agent.password}\n{agent.session_epoch}",
        algorithm="sha256",
    ).hexdigest()


def session_agent(request) -> Agent | None:
    """The agent of this session, both factors checked, still active, password and epoch
    unchanged, called from the network the session was opened from (a cookie used from
    elsewhere ends the session: docs/backoffice.md §1.6); the 15-minute idle timeout is pushed
    back at most once a minute."""
    session = request.session
    agent_id = session.get(AGENT_ID)
    if agent_id is None:
        return None
    agent = Agent.objects.filter(pk=agent_id, is_active=True).first()
    if agent is None or not constant_time_compare(session.get(AGENT_HASH, ""), session_hash(agent)):
        session.flush()
        return None
    network = network_of(client_ip(request.META))
    if session.get(AGENT_NETWORK) != network:
        record(
            Action.AGENT_SESSION_MOVED,
            target=agent.email,
            agent=agent.identity(),
            opened_from=session.get(AGENT_NETWORK, ""),
        )
        session.flush()
        return None
    now = clock.now().timestamp()
    if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
        session[REFRESHED_AT] = now
    return agent


def _limited(email: str) -> bool:
    from core import context

    address = context.current().ip_address or "-"
    return any(
        limits.peek(name, key).reached
        for name, key in (("agent.login", email), ("agent.address", address))
    )


def has_device(agent: Agent) -> bool:
    return AgentDevice.objects.filter(user=agent, confirmed=True).exists()


def _code_live(agent: Agent) -> bool:
    """A code was e-mailed to the agent, not expired nor killed by wrong tries."""
    return bool(agent.activation_code_hash) and not (
        ACTIVATION_CODE.expired(agent) or ACTIVATION_CODE.dead(agent)
    )


def spend_code(agent: Agent) -> None:
    """The e-mailed code is used (or no longer needed): nothing of it is kept."""
    agent.activation_code_hash = ""
    agent.activation_expires_at = None
    agent.activation_attempts = 0


def owes_enrolment(agent: Agent) -> bool:
    """A supervisor reset this activated agent's second factor (§1.9): no application, and a
    live code e-mailed to the agent stands in for it at the next login, once."""
    return agent.is_activated and _code_live(agent) and not has_device(agent)


def check_password_step(request, email: str, password: str) -> Agent:
    """The first factor. Refused alike for an unknown e-mail, a wrong password, an inactive
    agent and an agent without a second factor yet (`agent.wrong_credentials`); an agent whose
    second factor was reset goes on to the e-mailed code instead of a TOTP code."""
    from core import context

    email = normalize_email(email)
    if _limited(email):
        record(Action.AGENT_LOGIN_FAILED, target=email, reason="limit")
        raise Refusal("agent.locked")
    agent = Agent.objects.filter(email=email).first()
    ok = check_password(password, agent.password if agent and agent.password else _DUMMY)
    if not (ok and agent.is_active and (has_device(agent) or owes_enrolment(agent))):
        limits.hit("agent.login", email)
        limits.hit("agent.address", context.current().ip_address or "-")
        record(Action.AGENT_LOGIN_FAILED, target=email)
        raise Refusal("agent.wrong_credentials")
    request.session.cycle_key()
    request.session[PENDING_ID] = agent.pk
    request.session[PENDING_AT] = clock.now().timestamp()
    return agent


def pending_agent(request) -> Agent | None:
    """The agent who gave a right password a moment ago and owes the second factor."""
    pk, at = request.session.get(PENDING_ID), request.session.get(PENDING_AT, 0)
    if pk is None or clock.now().timestamp() - at > PENDING_SECONDS:
        return None
    return Agent.objects.filter(pk=pk, is_active=True).first()


def _use_recovery_code(agent: Agent, code: str) -> bool:
    """Single use: the code's row is deleted, so of two requests racing only one succeeds."""
    digest = RECOVERY_CODE.hash(code.strip().replace("-", ""), agent.pk)
    deleted, _ = AgentRecoveryCode.objects.filter(agent=agent, code_hash=digest).delete()
    return bool(deleted)


def second_factor_step(request, agent: Agent, code: str) -> None:
    """The second factor: a TOTP code, or one of the recovery codes (used up). While django-otp
    throttles the device neither is looked at; every failure counts against `agent.login` and
    grows the device's delay, and is committed (with its audit event) before the refusal."""
    code = "".join(code.split())
    if _limited(agent.email):
        record(Action.AGENT_SECOND_FACTOR_FAILED, target=agent.email, reason="limit")
        raise Refusal("agent.locked", field="code")
    with transaction.atomic():
        device = AgentDevice.objects.select_for_update().get(user=agent, confirmed=True)
        allowed, _ = device.verify_is_allowed()
        if allowed and len(code) <= 6 and device.verify_token(code):
            return _log_in(request, agent)
        if allowed and len(code) > 6:
            if _use_recovery_code(agent, code):
                device.throttle_reset(commit=True)
                record(Action.AGENT_RECOVERY_CODE_USED, target=agent.email)
                return _log_in(request, agent)
            device.throttle_increment(commit=True)
        limits.hit("agent.login", agent.email)
        record(
            Action.AGENT_SECOND_FACTOR_FAILED,
            target=agent.email,
            **({} if allowed else {"reason": "throttled"}),
        )
    raise Refusal("agent.wrong_otp", field="code")


def reset_code_step(request, agent: Agent, code: str) -> None:
    """After a reset (§1.9), the second factor is the code e-mailed to the agent, once: it
    opens the enrolment of a new application, not the back office. A wrong code counts like a
    wrong TOTP code (committed before the refusal); five kill it."""
    if _limited(agent.email):
        record(Action.AGENT_SECOND_FACTOR_FAILED, target=agent.email, reason="limit")
        raise Refusal("agent.locked", field="code")
    with transaction.atomic():
        agent = Agent.objects.select_for_update().get(pk=agent.pk)
        # A wrong code is counted by the check (five kill it).
        if owes_enrolment(agent) and RESET_CODE.check(agent, code.strip()).ok:
            spend_code(agent)
            agent.save(update_fields=CODE_FIELDS)
            record(Action.AGENT_RESET_CODE_USED, target=agent.email)
            new_device(agent)
            allow_enrolment(request, agent)
            return
        limits.hit("agent.login", agent.email)
        record(Action.AGENT_SECOND_FACTOR_FAILED, target=agent.email, step="reset_code")
    raise Refusal("agent.reset_code_invalid", field="code")


def allow_enrolment(request, agent: Agent) -> None:
    """The agent proved a code: for five minutes this session may enrol an application."""
    request.session.cycle_key()
    request.session[PENDING_ID] = agent.pk
    request.session[PENDING_AT] = clock.now().timestamp()
    request.session[ENROL_ID] = agent.pk


def enrolling_agent(request) -> Agent | None:
    """The agent who may enrol an application now: pending, with a code proved in this session
    (activation or reset), and holding no confirmed application (a password alone never shows
    a secret, nor replaces an application: that is *Mon compte*'s, §1.8)."""
    agent = pending_agent(request)
    if agent is None or request.session.get(ENROL_ID) != agent.pk or has_device(agent):
        return None
    return agent


def _log_in(request, agent: Agent) -> None:
    email = agent.email
    limits.clear("agent.login", email)
    session = request.session
    session.cycle_key()
    for key in (PENDING_ID, PENDING_AT, ENROL_ID):
        session.pop(key, None)
    session[AGENT_ID] = agent.pk
    session[AGENT_HASH] = session_hash(agent)
    session[AGENT_NETWORK] = network_of(client_ip(request.META))
    session[REFRESHED_AT] = clock.now().timestamp()
    rotate_token(request)
    record(Action.AGENT_LOGIN_SUCCEEDED, target=email, agent=agent.identity())


def keep_session(request, agent: Agent) -> None:
    """After the agent's own password or application changed (§1.8): this session goes on under
    a new key, every other one of the agent ends (the session hash changed)."""
    request.session.cycle_key()
    request.session[AGENT_HASH] = session_hash(agent)
    rotate_token(request)


def log_out(request) -> None:
    agent = request.agent
    if agent:
        record(Action.AGENT_LOGOUT, target=agent.email, agent=agent.identity())
    request.session.flush()


def new_device(agent: Agent, hex_key: str | None = None, *, confirmed: bool = False):
    """A TOTP device for the agent (a new random secret unless given), replacing any other."""
    AgentDevice.objects.filter(user=agent).delete()
    return AgentDevice.new(agent, hex_key, confirmed=confirmed)


def current_code(device: AgentDevice) -> str:
    """The code the agent's application shows now (the `agent_totp` command, tests)."""
    return f"{device.totp().token():06d}"


def new_recovery_codes(agent: Agent) -> list[str]:
    """Ten new recovery codes, replacing the former ones: shown once, kept hashed."""
    AgentRecoveryCode.objects.filter(agent=agent).delete()
    shown = [RECOVERY_CODE.new() for _ in range(RECOVERY_CODES)]
    AgentRecoveryCode.objects.bulk_create(
        AgentRecoveryCode(agent=agent, code_hash=RECOVERY_CODE.hash(code, agent.pk))
        for code in shown
    )
    return [f"{c[:5]}-{c[5:]}" for c in shown]


def confirm_device(request, agent: Agent, code: str) -> list[str]:
    """The first code from the application proves it holds the secret: the device is
    confirmed, the agent is logged in, and their recovery codes are returned (shown once)."""
    with transaction.atomic():
        device = AgentDevice.objects.select_for_update().get(user=agent, confirmed=False)
        if has_device(agent):  # a replacement is confirmed from *Mon compte* only (§1.8)
            raise Refusal("agent.wrong_otp", field="code")
        ok = device.verify_token("".join(code.split()))
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery = new_recovery_codes(agent)
            record(Action.AGENT_ENROLLED, target=agent.email, agent=agent.identity())
            _log_in(request, agent)
            return recovery
        record(Action.AGENT_SECOND_FACTOR_FAILED, target=agent.email, step="enrolment")
    raise Refusal("agent.wrong_otp", field="code")
