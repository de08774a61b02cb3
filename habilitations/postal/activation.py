"""*Activer mes services* (docs/habilitations.md §7, §8, docs/accounts.md §13): the letter's code
makes its requester the AT of each requested service still free at that moment (adhesion, simplified
mode), or of each requested service in place of its AT (substitution)."""

from datetime import timedelta

from django.db import transaction

from audit.models import Action
from audit.trail import record
from companies import bank
from core import clock, limits
from core.dates import date_at_time
from core.refusals import CATALOGUE, Refusal
from core.text import normalize_email
from habilitations.catalogue import MESSAGERIE, PAYER
from habilitations.company_data import email as company_email
from habilitations.models import (
    Origin,
    PostalRequest,
    RequestKind,
    RequestState,
    Role,
    SimplifiedRegistration,
)
from habilitations.postal import actions as postal
from habilitations.postal import letters as postal_letters
from habilitations.postal.substitution import complete_substitution
from habilitations.rights.actions import grant

UNKNOWN_REQUEST = CATALOGUE["postal.unknown_request"]
# Letters' codes tried on *Activer mon espace*, per login e-mail (config/rules.py).
LETTER_RECOGNITION = "activation.letter_email"
ORIGINS = {
    RequestKind.ADHESION: Origin.ADHESION,
    RequestKind.SUBSTITUTION: Origin.SUBSTITUTION,
    RequestKind.SIMPLIFIED: Origin.SIMPLIFIED,
}


def grant_free_services(req: PostalRequest, subscriber) -> tuple[list[str], list[str]]:
    """AT of each requested service that has no AT now; the others are reported as not
    granted. `grant` locks the company: two requesters at the same instant make one AT."""
    granted, not_granted = [], []
    for service in req.services:
        try:
            grant(
                req.company,
                subscriber,
                service,
                Role.TITULAR_ADMIN,
                ORIGINS[RequestKind(req.kind)],
                by=subscriber,
            )
        except Refusal:
            not_granted.append(service)
        else:
            granted.append(service)
    return granted, not_granted


def complete(req: PostalRequest, subscriber) -> None:
    """The right code for an open request (locked by the caller): grant, then close it."""
    if req.kind == RequestKind.SUBSTITUTION:
        granted, not_granted = complete_substitution(req, subscriber)
    else:
        granted, not_granted = grant_free_services(req, subscriber)
    # What the request brought for the company counts once its services are granted: the
    # letter's code is the company's consent.
    if MESSAGERIE in granted and req.company_email:
        company_email.set_address(
            req.company,
            req.company_email,
            general_information=req.general_information,
            by=subscriber,
        )
    if PAYER in granted and req.bank_iban:
        details = bank.BankDetails(req.bank_iban, req.bank_bic, req.bank_holder)
        bank.attach_from_request(req.company, details, by=subscriber)
    req.state = RequestState.ACTIVATED
    req.closed_at = clock.now()
    req.granted, req.not_granted = granted, not_granted
    req.save(update_fields=["state", "closed_at", "granted", "not_granted"])
    record(
        Action.POSTAL_REQUEST_ACTIVATED,
        actor=subscriber,
        target=req.company.identifier,
        request_id=req.pk,
        granted=granted,
        not_granted=not_granted,
    )


def activate_services(subscriber, request_pk: int, code: str) -> PostalRequest:
    """Enter the letter's code of one's own request: single use, bound to that request, 5
    wrong codes kill it, refused once expired or withdrawn."""
    with transaction.atomic():
        req = postal.locked(request_pk)
        if req is None or req.requester_id != subscriber.pk:
            refusal = Refusal("postal.unknown_request", field="code")
            req = None
        else:
            refusal = postal.code_refusal(req, code)
        if refusal is None:
            complete(req, subscriber)
    if refusal:
        postal.record_code_failure(req, refusal, actor=subscriber)
        raise refusal
    return req


def recognise_letter_code(email: str, code: str) -> RequestKind | None:
    """Which kind of letter `code` is the live code of, for the person whose login e-mail this
    is — an adhesion or substitution of their space, or their own simplified-mode creation —
    else None (docs/accounts.md §5.4). *Activer mon espace / mes services* asks it after
    refusing a code, to send its holder to the right page instead of saying « incorrect ».

    Every try counts against `activation.letter_email` in the table of limits, per login
    e-mail from every address, before the codes are compared (a right code gets its try back):
    past it, refused (`activation.letter_locked`), so that the page gives no more guesses at a
    letter's code than its own page does. The letters' own tries are not spent: this page
    needs no login nor password, and anybody could kill someone else's letter
    (docs/security.md §5.3). The count is kept whether the e-mail has letters or not, and only
    the holder of a valid code learns anything, the answer being None otherwise."""
    email = normalize_email(email)
    usage = limits.hit(LETTER_RECOGNITION, email)
    if usage.exceeded:
        if usage.count == usage.limit + 1:
            record(Action.RATE_LIMITED, target=email[:200], limit=LETTER_RECOGNITION)
        until = clock.now() + timedelta(seconds=usage.retry_after)
        raise Refusal("activation.letter_locked", field="code", date=date_at_time(until))
    now = clock.now()
    letters = PostalRequest.objects.filter(
        state=RequestState.LETTER_SENT, code_expires_at__gt=now
    ).exclude(code_hash="")
    own = letters.filter(
        requester__email=email, kind__in=[RequestKind.ADHESION, RequestKind.SUBSTITUTION]
    )
    simplified = letters.filter(
        kind=RequestKind.SIMPLIFIED,
        pk__in=SimplifiedRegistration.objects.filter(email=email).values("request_id"),
    )
    for req in [*own, *simplified]:
        if not postal_letters.LETTER_CODE.dead(req) and postal_letters.LETTER_CODE.matches(
            code.strip(), req.code_hash, req.pk
        ):
            limits.hit(LETTER_RECOGNITION, email, -1)
            return RequestKind(req.kind)
    return None
