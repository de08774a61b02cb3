"""Agents' accounts (docs/backoffice.md §1.1, §1.9): creation with the one-time activation code
e-mailed to the agent (never shown to its creator), the code sent again, and the first visit
(activation: the code and a password of their own, then the enrolment of `auth`)."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.passwords import password_errors
from audit.models import Action
from audit.trail import record
from backoffice.auth import ACTIVATION_CODE, CODE_FIELDS, allow_enrolment, spend_code
from backoffice.models import Agent, AgentDevice, AgentRecoveryCode
from core import clock
from core.links import site_link
from core.one_time import OneTimeSecret
from core.refusals import Refusal
from core.text import normalize_email
from correspondence.mail import send_email


def _check_address(email: str) -> None:
    """An agent's address is a professional mailbox of the administration's domains (if set),
    one per account: sub-addresses (« + ») would let one mailbox receive several codes."""
    local, _, domain = email.rpartition("@")
    if "+" in local:
        raise Refusal("agent.email_subaddress", field="email")
    domains = settings.AGENT_EMAIL_DOMAINS
    if domains and domain not in domains:
        raise Refusal("agent.email_domain", field="email", domains=", ".join(domains))


def email_code(agent: Agent, template: str, kind: OneTimeSecret, **context) -> None:
    """A new one-time code of this kind for the agent (any former one dead), e-mailed to the
    agent's own address: nobody else ever sees it, their creator or a supervisor included
    (§1.1, §1.9)."""
    code, fields = kind.issue()
    fields[kind.expires_field] = clock.now() + settings.AGENT_ACTIVATION_VALIDITY
    for name, value in fields.items():
        setattr(agent, name, value)
    agent.save(update_fields=CODE_FIELDS)
    send_email(
        template,
        agent.email,
        {
            "agent": agent,
            "code": code,
            "hours": int(settings.AGENT_ACTIVATION_VALIDITY.total_seconds() // 3600),
            "expires_at": timezone.localtime(agent.activation_expires_at),
            "page": site_link(
                "backoffice:activation" if kind is ACTIVATION_CODE else "backoffice:login"
            ),
            **context,
        },
    )


@transaction.atomic
def create_agent(
    email: str, first_name: str, last_name: str, role: str, *, by: Agent | None = None
) -> Agent:
    """A new agent, without password or second factor: an activation code is e-mailed to the
    agent's address (never shown to whoever creates the account), with which they choose both
    at their first visit (§1.1)."""
    email = normalize_email(email)
    _check_address(email)
    if Agent.objects.filter(email=email).exists():
        raise Refusal("agent.email_taken", field="email")
    agent = Agent.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        created_at=clock.now(),
        created_by=by,
    )
    record(
        Action.AGENT_CREATED,
        target=email,
        role=role,
        **({"created_by": by.identity()} if by else {}),
    )
    email_code(agent, "agent_activation_code", ACTIVATION_CODE, creator=by)
    return agent


@transaction.atomic
def resend_activation(agent: Agent) -> None:
    """A new activation code e-mailed to an agent who has not activated their account yet (the
    former code dies): the lost or expired e-mail of §1.1."""
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    if not agent.is_active:
        raise Refusal("agent.inactive")
    if agent.is_activated:
        raise Refusal("agent.already_activated")
    email_code(agent, "agent_activation_code", ACTIVATION_CODE, creator=agent.created_by)
    record(Action.AGENT_ACTIVATION_SENT, target=agent.email)


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
    # Only a first activation: after a reset the e-mailed code stands in for the second factor
    # behind the password (§1.9), it never replaces the password.
    # A wrong code is counted by the check (committed by `activate`), five kill it.
    if agent is None or agent.is_activated or not ACTIVATION_CODE.check(agent, code.strip()).ok:
        raise Refusal("agent.activation_invalid", field="code")
    errors = password_errors(password, email=email, names=(agent.last_name, agent.first_name))
    if errors:
        raise Refusal("agent.weak_password", errors[0], field="password1")
    agent.password = make_password(password)
    spend_code(agent)
    agent.session_epoch += 1
    agent.save()
    AgentDevice.objects.filter(user=agent).delete()
    AgentRecoveryCode.objects.filter(agent=agent).delete()
    record(Action.AGENT_CHANGED, target=agent.email, activated=True)
    allow_enrolment(request, agent)
    return agent
