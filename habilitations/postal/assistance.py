"""What an agent does to a postal request (docs/backoffice.md §5): withdraw a live letter code
that the company says it never asked for (the requester is told), and reissue a letter to a
corrected address with a new code (the old one dies). Both under the request's lock."""

from django.db import transaction

from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.models import OPEN_STATES, PostalRequest, RequestState
from habilitations.postal import actions as postal
from habilitations.postal import letters as postal_letters


def _requester_email(req: PostalRequest) -> str:
    if req.requester_id:
        return req.requester.email
    registration = getattr(req, "simplified_registration", None)
    return registration.email if registration is not None else ""


def _open(request_pk: int, refusal: str) -> PostalRequest:
    req = postal.locked(request_pk)
    if req is None:
        raise Refusal(refusal)
    if req.is_expired(clock.now()) and req.state in OPEN_STATES:
        postal._expire(req)
    if req.state not in OPEN_STATES:
        raise Refusal(refusal)
    return req


def withdraw_code(request_pk: int) -> PostalRequest:
    """The request is withdrawn: its link and its letter's code no longer do anything; the
    requester is told why by e-mail."""
    refusal = None
    with transaction.atomic():
        try:
            req = _open(request_pk, "postal.not_live")
        except Refusal as exc:
            refusal = exc
        else:
            req.state = RequestState.WITHDRAWN
            req.closed_at = clock.now()
            req.save(update_fields=["state", "closed_at"])
            record(
                Action.POSTAL_CODE_WITHDRAWN,
                target=req.company.identifier,
                request_id=req.pk,
                requester=req.requester.subscriber_number if req.requester_id else "",
            )
            if to := _requester_email(req):
                send_email(
                    "postal_code_withdrawn",
                    to,
                    {"company": req.company, "services": req.service_labels},
                )
    if refusal:  # an expiry written meanwhile stays written
        raise refusal
    return req


@transaction.atomic
def reissue_letter(request_pk: int) -> PostalRequest:
    """A new letter, to the company's fiscal address as it is now (an agent corrected it), with
    a new code and a new 60-day deadline; the former letter's code is dead."""
    req = _open(request_pk, "postal.not_reissuable")
    if req.state != RequestState.LETTER_SENT:
        raise Refusal("postal.not_reissuable")
    postal_letters.send_code_letter(req)
    record(
        Action.POSTAL_LETTER_REISSUED,
        target=req.company.identifier,
        request_id=req.pk,
        letter=req.letter_id,
    )
    return req
