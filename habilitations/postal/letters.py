"""A postal request's link and letter (docs/habilitations.md §7, docs/accounts.md §13,
docs/durations.md §1): the company e-mail's 72-hour link, then the letter to the fiscal address
with its 60-day code. Checking them is `postal.py`."""

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from audit.models import Action
from audit.trail import record
from companies.freezing import ensure_not_frozen
from companies.models import Company
from core import clock, codes
from core.one_time import OneTimeSecret, new_public_id
from correspondence.letters import send_letter
from correspondence.mail import send_email
from habilitations.catalogue import PAYER, PAYER_ELEMENTARY_CODES, label
from habilitations.models import PostalRequest, RequestState

# The company e-mail's 72-hour link (its URL carries the request's public link id) and the
# letter's 60-day code, typed from paper (hence the reader-friendly alphabet).
REQUEST_LINK = OneTimeSecret(
    "postal-request-link",
    hash_field="email_token_hash",
    expires_field="email_link_expires_at",
)
LETTER_CODE = OneTimeSecret(
    "postal-request-code",
    expires_field="code_expires_at",
    attempts_field="failed_attempts",
    alphabet=codes.PRINTED_CODE_ALPHABET,
)


def link_hours() -> int:
    return int(settings.COMPANY_EMAIL_LINK_VALIDITY.total_seconds() // 3600)


def code_days() -> int:
    return settings.POSTAL_CODE_VALIDITY.days


def requester_identity(req: PostalRequest) -> tuple[str, str]:
    """Who asks, as the letter says it: name, and subscriber number once the space exists."""
    if req.requester is not None:
        return req.requester.display_name, req.requester.subscriber_number
    return req.simplified_registration.display_name, ""


def start(req: PostalRequest, link_for: Callable[[str, str], str]) -> None:
    """A new request's first step: the company e-mail's link if there is an address to check
    (Messagerie, simplified mode), else the letter at once (docs/habilitations.md §7)."""
    if req.state == RequestState.AWAITING_EMAIL:
        send_link(req, link_for)
    else:
        send_code_letter(req)


def send_link(req: PostalRequest, link_for: Callable[[str, str], str]) -> None:
    req.email_link_id = new_public_id()
    token, token_fields = REQUEST_LINK.issue(req.email_link_id)
    for name, value in token_fields.items():
        setattr(req, name, value)
    req.save(update_fields=["email_link_id", *token_fields])
    name, _ = requester_identity(req)
    send_email(
        "company_email_link",
        req.company_email,
        {
            "company": req.company,
            "requester_name": name,
            "kind": req.kind,
            "services": req.service_labels,
            "link": link_for(req.email_link_id, token),
            "hours": link_hours(),
            "expires_at": timezone.localtime(req.email_link_expires_at),
        },
    )


def send_code_letter(req: PostalRequest) -> None:
    """The letter to the company's fiscal address, with a code valid 60 days
    (docs/habilitations.md §7, docs/correspondence.md §1). Refused for a frozen company
    (docs/backoffice.md §7)."""
    ensure_not_frozen(Company.objects.select_for_update().get(pk=req.company_id))
    code, code_fields = LETTER_CODE.issue(req.pk)
    now = clock.now()
    name, number = requester_identity(req)
    req.state = RequestState.LETTER_SENT
    for field, value in code_fields.items():
        setattr(req, field, value)
    req.letter_sent_at = now
    req.code_expires_at = now + settings.POSTAL_CODE_VALIDITY
    req.letter = send_letter(
        f"{req.kind}_code",
        req.company,
        {
            "requester_name": name,
            "requester_number": number,
            "services": req.service_labels,
            "payer_labels": [label(c) for c in PAYER_ELEMENTARY_CODES]
            if PAYER in req.services
            else [],
            "code": code,
            "days": code_days(),
            "expires_at": timezone.localtime(req.code_expires_at),
        },
    )
    req.save(update_fields=["state", *code_fields, "letter_sent_at", "code_expires_at", "letter"])
    record(
        Action.POSTAL_LETTER_SENT,
        actor=req.requester,
        target=req.company.identifier,
        request_id=req.pk,
        letter=req.letter.pk,
    )
