"""Agents' authentication (docs/backoffice.md §1): a password, then always a TOTP code (or a
recovery code); activation of a new account with the one-time code its creator handed over;
enrolment of the TOTP application by QR code; sessions bound to the agent's epoch."""

import secrets
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.oath import TOTP

from accounts.passwords import password_errors
from audit.models import Action
from audit.trail import record
from backoffice.models import TOTP_KEY_PURPOSE, Agent, AgentDevice, AgentRecoveryCode
from core import clock, codes, limits, sealing
from core.refusals import Refusal
from core.text import normalize_email

AGENT_ID, AGENT_HASH, PENDING_ID, PENDING_AT, REFRESHED_AT = (
    "agent_id",
    "agent_hash",
    "agent_pending_id",
    "agent_pending_at",
    "agent_refreshed_at",
)
PENDING_SECONDS = 300  # between the password and the second factor
RECOVERY_CODES = 10
ACTIVATION_PURPOSE = "backoffice.activation"
RECOVERY_PURPOSE = "backoffice.recovery"
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
    unchanged; the 15-minute idle timeout is pushed back at most once a minute."""
    session = request.session
    agent_id = session.get(AGENT_ID)
    if agent_id is None:
        return None
    agent = Agent.objects.filter(pk=agent_id, is_active=True).first()
    if agent is None or not constant_time_compare(session.get(AGENT_HASH, ""), session_hash(agent)):
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


def check_password_step(request, email: str, password: str) -> Agent:
    """The first factor. Refused alike for an unknown e-mail, a wrong password, an inactive
    agent and an agent without a second factor yet (`agent.wrong_credentials`)."""
    from core import context

    email = normalize_email(email)
    if _limited(email):
        record(Action.AGENT_LOGIN_FAILED, target=email, reason="limit")
        raise Refusal("agent.locked")
    agent = Agent.objects.filter(email=email).first()
    ok = check_password(password, agent.password if agent and agent.password else _DUMMY)
    if not (ok and agent.is_active and AgentDevice.objects.filter(user=agent, confirmed=True)):
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


def _totp(device: AgentDevice) -> TOTP:
    totp = TOTP(device.bin_key, step=30, t0=0, digits=6, drift=0)
    totp.time = clock.now().timestamp()
    return totp


def _verify_totp(device: AgentDevice, token: str) -> bool:
    """django-otp's check: the code of this 30-second step or the one around it, never a step
    already used (replay), with django-otp's growing delay after wrong codes."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return False
    totp = _totp(device)
    ok = token.isdigit() and len(token) == 6 and totp.verify(int(token), 1, device.last_t + 1)
    if ok:
        device.last_t = totp.t()
        device.throttle_reset(commit=False)
        device.save()
    else:
        device.throttle_increment(commit=True)
    return bool(ok)


def _use_recovery_code(agent: Agent, code: str) -> bool:
    digest = codes.hash_code(code.strip().replace("-", ""), f"{RECOVERY_PURPOSE}:{agent.pk}")
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
        if allowed and len(code) <= 6 and _verify_totp(device, code):
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


def _log_in(request, agent: Agent) -> None:
    email = agent.email
    limits.clear("agent.login", email)
    session = request.session
    session.cycle_key()
    for key in (PENDING_ID, PENDING_AT):
        session.pop(key, None)
    session[AGENT_ID] = agent.pk
    session[AGENT_HASH] = session_hash(agent)
    session[REFRESHED_AT] = clock.now().timestamp()
    rotate_token(request)
    record(Action.AGENT_LOGIN_SUCCEEDED, target=email, agent=agent.identity())


def log_out(request) -> None:
    agent = request.agent
    if agent:
        record(Action.AGENT_LOGOUT, target=agent.email, agent=agent.identity())
    request.session.flush()


# --- accounts: creation, activation, enrolment ---------------------------------------------


def new_activation_code() -> tuple[str, dict]:
    code = codes.new_code()
    return code, {
        "activation_code_hash": codes.hash_code(code, ACTIVATION_PURPOSE),
        "activation_expires_at": clock.now() + settings.AGENT_ACTIVATION_VALIDITY,
        "activation_attempts": 0,
    }


@transaction.atomic
def create_agent(
    email: str, first_name: str, last_name: str, role: str, *, by: Agent | None = None
) -> tuple[Agent, str]:
    """A new agent, without password or second factor: the activation code returned (shown
    once to its creator, handed over to the agent) lets them choose both (§1)."""
    email = normalize_email(email)
    if Agent.objects.filter(email=email).exists():
        raise Refusal("agent.email_taken", field="email")
    code, fields = new_activation_code()
    agent = Agent.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        created_at=clock.now(),
        created_by=by,
        **fields,
    )
    record(Action.AGENT_CREATED, target=email, role=role)
    return agent, code


def activate(request, email: str, code: str, password: str) -> Agent:
    """The agent's first visit: their activation code and a password of their own; then the
    enrolment of their TOTP application (the session holds them as pending meanwhile). A wrong
    code counts (committed), five kill it."""
    refusal = None
    with transaction.atomic():
        try:
            return _activate(request, email, code, password)
        except Refusal as exc:
            refusal = exc
    raise refusal


def _activate(request, email: str, code: str, password: str) -> Agent:
    email = normalize_email(email)
    agent = Agent.objects.select_for_update().filter(email=email, is_active=True).first()
    if (
        agent is None
        or not agent.activation_code_hash
        or agent.activation_expires_at is None
        or agent.activation_expires_at <= clock.now()
        or agent.activation_attempts >= settings.MAX_CODE_ATTEMPTS
    ):
        raise Refusal("agent.activation_invalid", field="code")
    if not codes.code_matches(code.strip(), ACTIVATION_PURPOSE, agent.activation_code_hash):
        Agent.objects.filter(pk=agent.pk).update(activation_attempts=agent.activation_attempts + 1)
        raise Refusal("agent.activation_invalid", field="code")
    errors = password_errors(password, email=email, names=(agent.last_name, agent.first_name))
    if errors:
        raise Refusal("agent.weak_password", errors[0], field="password1")
    agent.password = make_password(password)
    agent.activation_code_hash = ""
    agent.activation_expires_at = None
    agent.session_epoch += 1
    agent.save()
    AgentDevice.objects.filter(user=agent).delete()
    AgentRecoveryCode.objects.filter(agent=agent).delete()
    request.session.cycle_key()
    request.session[PENDING_ID] = agent.pk
    request.session[PENDING_AT] = clock.now().timestamp()
    return agent


def new_device(agent: Agent, hex_key: str | None = None, *, confirmed: bool = False):
    """A TOTP device for the agent (a new random secret unless given), replacing any other."""
    AgentDevice.objects.filter(user=agent).delete()
    return AgentDevice.objects.create(
        user=agent,
        name="TOTP",
        confirmed=confirmed,
        sealed_key=sealing.seal(hex_key or secrets.token_hex(20), TOTP_KEY_PURPOSE),
        created_at=clock.now(),
    )


def provisioning_uri(device: AgentDevice) -> str:
    """The otpauth:// address a TOTP application reads from the QR code."""
    issuer = settings.AGENT_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{device.user.email}")
    params = urlencode({"secret": device.base32_key, "algorithm": "SHA1", "digits": 6})
    return f"otpauth://totp/{label}?{params}&period=30&issuer={quote(issuer)}"


def current_code(device: AgentDevice) -> str:
    """The code the agent's application shows now (the `agent_totp` command, tests)."""
    return f"{_totp(device).token():06d}"


def new_recovery_codes(agent: Agent) -> list[str]:
    """Ten new recovery codes, replacing the former ones: shown once, kept hashed."""
    AgentRecoveryCode.objects.filter(agent=agent).delete()
    shown = [codes.new_code(codes.PRINTED_CODE_ALPHABET, 10) for _ in range(RECOVERY_CODES)]
    AgentRecoveryCode.objects.bulk_create(
        AgentRecoveryCode(
            agent=agent, code_hash=codes.hash_code(code, f"{RECOVERY_PURPOSE}:{agent.pk}")
        )
        for code in shown
    )
    return [f"{c[:5]}-{c[5:]}" for c in shown]


def confirm_device(request, agent: Agent, code: str) -> list[str]:
    """The first code from the application proves it holds the secret: the device is
    confirmed, the agent is logged in, and their recovery codes are returned (shown once)."""
    with transaction.atomic():
        device = AgentDevice.objects.select_for_update().get(user=agent, confirmed=False)
        ok = _verify_totp(device, "".join(code.split()))
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery = new_recovery_codes(agent)
            record(Action.AGENT_ENROLLED, target=agent.email, agent=agent.identity())
            _log_in(request, agent)
            return recovery
        record(Action.AGENT_SECOND_FACTOR_FAILED, target=agent.email, step="enrolment")
    raise Refusal("agent.wrong_otp", field="code")
