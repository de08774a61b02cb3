"""The company e-mail (docs/glossary.md §2, docs/habilitations.md §2): changed by the AT/AS of
Messagerie, the new address replacing the old one only once the 72-hour link sent to it has been
followed (docs/durations.md §1)."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.trail import record
from companies.models import Company, CompanyEmail, CompanyEmailChange
from core import clock
from core.one_time import OneTimeSecret, Outcome, new_public_id
from core.refusals import Refusal
from core.text import normalize_email
from correspondence.mail import send_email
from habilitations.rights.queries import rights_on

# The 72-hour link confirming a new company e-mail, bound to the change's public id.
CHANGE_LINK = OneTimeSecret("company-email-change", hash_field="token_hash")


def _link_invalid() -> Refusal:
    return Refusal("company_email.link_invalid", hours=link_hours())


def link_hours() -> int:
    return int(settings.COMPANY_EMAIL_LINK_VALIDITY.total_seconds() // 3600)


def current(company: Company) -> CompanyEmail | None:
    return CompanyEmail.objects.filter(company=company).first()


def pending(company: Company) -> CompanyEmailChange | None:
    """The change waiting for its link, if it has not expired (checked when read)."""
    return CompanyEmailChange.objects.filter(company=company, expires_at__gt=clock.now()).first()


def request_change(
    company: Company,
    email: str,
    *,
    by,
    link_for: Callable[[str, str], str],
) -> CompanyEmailChange:
    """E-mail a 72-hour link to the new address; a newer request kills the previous link."""
    email = normalize_email(email)
    link_id = new_public_id()
    token, token_fields = CHANGE_LINK.issue(link_id)
    now = clock.now()
    with transaction.atomic():
        change, _ = CompanyEmailChange.objects.update_or_create(
            company=company,
            defaults={
                "email": email,
                "public_id": link_id,
                **token_fields,
                "requested_by": by,
                "requested_at": now,
                "expires_at": now + settings.COMPANY_EMAIL_LINK_VALIDITY,
            },
        )
        send_email(
            "company_email_change_link",
            email,
            {
                "company": company,
                "requester": by,
                "link": link_for(change.public_id, token),
                "hours": link_hours(),
                "expires_at": timezone.localtime(change.expires_at),
            },
        )
        record(
            Action.COMPANY_EMAIL_CHANGE_REQUESTED,
            actor=by,
            target=company.identifier,
            email=email,
        )
    return change


def _problem(change: CompanyEmailChange | None, token: str) -> str | None:
    # Wrong tokens are not counted (docs/security.md §5.3): nobody can kill another's link.
    check = CHANGE_LINK.check(change, token, change.public_id if change else None)
    if check.outcome is Outcome.EXPIRED:
        change.delete()
    return None if check.ok else check.outcome.value  # the audit trail's reason


def _record_failure(link_id: str, problem: str) -> None:
    record(Action.COMPANY_EMAIL_LINK_FAILED, target=link_id, reason=problem)


def _locked(link_id: str):
    return (
        CompanyEmailChange.objects.select_for_update()
        .select_related("company", "requested_by")
        .filter(public_id=link_id)
        .first()
    )


def check_link(link_id: str, token: str):
    """The change a link confirms, without using it, or a refusal."""
    with transaction.atomic():
        change = _locked(link_id)
        problem = _problem(change, token)
    if problem:
        _record_failure(link_id, problem)
        raise _link_invalid()
    return change


def confirm_change(link_id: str, token: str) -> CompanyEmail:
    """Follow the link: the new address replaces the old one (which is told), single use."""
    with transaction.atomic():
        change = _locked(link_id)
        problem = _problem(change, token)
        if (
            not problem
            and not rights_on(change.requested_by, change.company).may_manage_company_email()
        ):
            # The requester lost the right meanwhile (substitution, removal, suspension): the
            # change they asked for must not outlive it.
            change.delete()
            problem = "requester_no_longer_allowed"
        if not problem and not CHANGE_LINK.consume(change):
            problem = "already_used"
        if not problem:
            previous = current(change.company)
            address = set_address(
                change.company,
                change.email,
                general_information=previous.general_information if previous else False,
                by=change.requested_by,
            )
            if previous and previous.email != address.email:
                send_email(
                    "company_email_changed",
                    previous.email,
                    {"company": change.company, "new_email": address.email},
                )
            return address
    _record_failure(link_id, problem)
    raise _link_invalid()


def set_address(
    company: Company,
    email: str,
    *,
    general_information: bool,
    by=None,
) -> CompanyEmail:
    """Record a confirmed address as the company's (after its link was followed)."""
    address, _ = CompanyEmail.objects.update_or_create(
        company=company,
        defaults={
            "email": normalize_email(email),
            "general_information": general_information,
            "confirmed_at": clock.now(),
            "changed_by": by,
        },
    )
    record(
        Action.COMPANY_EMAIL_CHANGED,
        actor=by,
        target=company.identifier,
        email=address.email,
    )
    return address
