"""An agent's own credentials (docs/backoffice.md §1.8, §1.9): *Mon compte* changes the
password and replaces the TOTP application, each behind the current password; a supervisor
resets another agent's second factor. Each change is one transaction, audited, told to the
agent by e-mail, and ends the agent's other sessions."""

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from accounts.passwords import password_errors
from audit.models import Action
from audit.trail import record
from backoffice import agent_accounts, auth
from backoffice.models import Agent, AgentDevice, AgentRecoveryCode
from core import clock, context, limits
from core.refusals import Refusal
from correspondence.mail import send_email


def current_password_matches(agent: Agent, password: str) -> bool:
    """Re-authentication before changing a credential. A wrong password counts against the
    agent's login limit (`agent.login`), so a session left open gives no more tries than the
    login page; once the limit is reached every try is refused (`agent.locked`), and the page
    ends the session."""
    if limits.peek("agent.login", agent.email).reached:
        record(Action.AGENT_REAUTHENTICATION_FAILED, target=agent.email, reason="limit")
        raise Refusal("agent.locked", field="current_password")
    if password and check_password(password, agent.password):
        return True
    limits.hit("agent.login", agent.email)
    record(Action.AGENT_REAUTHENTICATION_FAILED, target=agent.email)
    return False


def new_password_errors(agent: Agent, password: str) -> list[str]:
    """The subscribers' rules (docs/accounts.md §7: 20 characters, zxcvbn, neither the e-mail
    nor the names, not a common password) and different from the current one."""
    return password_errors(
        password,
        email=agent.email,
        names=(agent.last_name, agent.first_name),
        current_hash=agent.password,
    )


def _notify(agent: Agent, template: str, **extra) -> None:
    at = timezone.localtime(clock.now())
    send_email(template, agent.email, {"agent": agent, "at": at, **extra})


def change_password(agent: Agent, current: str, new: str) -> Agent:
    """The agent's new password, hashed with the project's hasher; the current one is asked
    first (§1.8). Every other session of the agent ends (the session hash holds the password
    hash); the caller keeps its own (`auth.keep_session`)."""
    if not current_password_matches(agent, current):
        raise Refusal("agent.wrong_current_password", field="current_password")
    errors = new_password_errors(agent, new)
    if errors:
        raise Refusal("agent.weak_password", field="new_password1", messages=errors)
    with transaction.atomic():
        agent = Agent.objects.select_for_update().get(pk=agent.pk)
        agent.password = make_password(new)
        agent.save(update_fields=["password"])
        record(Action.AGENT_PASSWORD_CHANGED, target=agent.email)
        _notify(agent, "agent_password_changed")
    return agent


def start_replacement(agent: Agent, current: str) -> AgentDevice:
    """A new TOTP secret for the agent, behind the current password: kept unconfirmed beside
    the application in use, which serves until the new one gives its first code."""
    if not current_password_matches(agent, current):
        raise Refusal("agent.wrong_current_password", field="current_password")
    with transaction.atomic():
        AgentDevice.objects.filter(user=agent, confirmed=False).delete()
        return AgentDevice.new(agent)


def replacement(agent: Agent, pk: int | None) -> AgentDevice | None:
    """The unconfirmed application this agent started to enrol (§1.8), if it is this one."""
    if pk is None:
        return None
    return AgentDevice.objects.filter(pk=pk, user=agent, confirmed=False).first()


def confirm_replacement(agent: Agent, pk: int, code: str) -> tuple[Agent, list[str]]:
    """The new application's first code proves it holds the secret: in one transaction it
    becomes the agent's application, the former one and the former recovery codes are deleted,
    ten new recovery codes are returned (shown once) and the agent's other sessions end."""
    with transaction.atomic():
        device = (
            AgentDevice.objects.select_for_update()
            .filter(pk=pk, user=agent, confirmed=False)
            .first()
        )
        if device is not None and device.verify_token("".join(code.split())):
            agent = Agent.objects.select_for_update().get(pk=agent.pk)
            AgentDevice.objects.filter(user=agent, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery = auth.new_recovery_codes(agent)
            agent.session_epoch += 1
            agent.save(update_fields=["session_epoch"])
            record(Action.AGENT_DEVICE_REPLACED, target=agent.email)
            _notify(agent, "agent_device_replaced")
            return agent, recovery
        record(Action.AGENT_SECOND_FACTOR_FAILED, target=agent.email, step="replacement")
    raise Refusal("agent.wrong_otp", field="code")


@transaction.atomic
def reset_second_factor(target: Agent, by: Agent) -> Agent:
    """A supervisor resets another agent's second factor (a lost phone and lost recovery
    codes): the application and the recovery codes are deleted, the agent's sessions end, and
    a code is e-mailed to the agent which, once, stands in for the second factor behind the
    password and opens the enrolment of a new application (§1.9). The supervisor never sees it.
    The reason is the one in `core.context` (audited, and told to the agent)."""
    target = Agent.objects.select_for_update().get(pk=target.pk)
    if target.pk == by.pk:
        raise Refusal("agent.own_account")
    if not target.is_active:
        raise Refusal("agent.inactive")
    if not target.is_activated:
        raise Refusal("agent.not_activated")
    AgentDevice.objects.filter(user=target).delete()
    AgentRecoveryCode.objects.filter(agent=target).delete()
    target.session_epoch += 1
    target.save(update_fields=["session_epoch"])
    reason = (context.current().agent or {}).get("reason", "")
    record(Action.AGENT_SECOND_FACTOR_RESET, target=target.email)
    agent_accounts.email_code(
        target,
        "agent_second_factor_reset",
        auth.RESET_CODE,
        by=by,
        reason=reason,
        at=timezone.localtime(clock.now()),
    )
    return target
