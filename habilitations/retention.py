"""Retention of what requests by postal letter leave behind (docs/security.md §12): lapsed
simplified-mode creations and the bank details of closed requests. Each function returns how
many rows it changed; running it again changes nothing more."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from audit.models import Action
from audit.trail import record_many
from core import clock
from habilitations.models import PostalRequest, RequestState, SimplifiedRegistration

CLOSED_STATES = (
    RequestState.ACTIVATED,
    RequestState.EXPIRED,
    RequestState.WITHDRAWN,
    RequestState.BLOCKED,
)


def closed_before(cutoff: datetime, prefix: str = "") -> Q:
    """Requests closed at or before `cutoff`: closed in the database, or still open there but
    past their deadline (expired the moment it passed, docs/durations.md §3)."""
    return (
        Q(**{f"{prefix}state__in": CLOSED_STATES, f"{prefix}closed_at__lte": cutoff})
        | Q(
            **{
                f"{prefix}state": RequestState.AWAITING_EMAIL,
                f"{prefix}email_link_expires_at__lte": cutoff,
            }
        )
        | Q(**{f"{prefix}state": RequestState.LETTER_SENT, f"{prefix}code_expires_at__lte": cutoff})
    )


def purge_lapsed_simplified_registrations() -> int:
    """Simplified-mode creations whose request closed without activation (expired, withdrawn,
    blocked) more than RETENTION_LAPSED_REGISTRATION ago are deleted, with the password and
    trust-answer hashes they hold; the request stays, closed. (An activated one was deleted
    when its space was created.)"""
    cutoff = clock.now() - settings.RETENTION_LAPSED_REGISTRATION
    with transaction.atomic():
        lapsed = SimplifiedRegistration.objects.select_for_update().filter(
            closed_before(cutoff, prefix="request__")
        )
        rows = list(lapsed.values_list("pk", "email", "request_id"))
        record_many(
            Action.REGISTRATION_DISCARDED,
            [(email, {"reason": "retention", "request_id": req}) for _pk, email, req in rows],
        )
        deleted, _ = SimplifiedRegistration.objects.filter(pk__in=[r[0] for r in rows]).delete()
    return deleted


def purge_postal_bank_details() -> int:
    """The bank details a request carried for Payer are blanked once it has been closed for
    RETENTION_POSTAL_BANK_DETAILS: an activated request's account lives on in the company's
    bank accounts (companies.BankAccount), the others' never served."""
    cutoff = clock.now() - settings.RETENTION_POSTAL_BANK_DETAILS
    kept = ~Q(bank_iban="") | ~Q(bank_bic="") | ~Q(bank_holder="")
    with transaction.atomic():
        return (
            PostalRequest.objects.filter(kept)
            .filter(closed_before(cutoff))
            .update(bank_iban="", bank_bic="", bank_holder="")
        )
