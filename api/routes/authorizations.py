"""`POST /authorizations/check` (service clients only, docs/api.md §4): "may this subscriber do
<action> on <service> for <company>?", for one triple or a batch of up to 1,000, answered
allow/deny per item by `habilitations.rights.queries` (the rule the pages apply), in one query;
a deny the company's requirement of a strong factor causes says so (`reason`)."""

from ninja import Router

from api import problems
from api.auth import ServiceClientBearer
from api.schemas import CheckIn, CheckOut
from habilitations.rights.queries import rights_of_pairs

router = Router(auth=ServiceClientBearer())


@router.post(
    "/authorizations/check",
    response=CheckOut,
    summary="Vérifier des habilitations (services en ligne)",
)
def check(request, body: CheckIn):
    single = body.subscriber_number is not None or body.siren is not None or body.service
    if body.items is not None and single:
        raise problems.problem(
            "api.invalid_request", detail="un triplet ou des « items », pas les deux."
        )
    if body.items is None:
        if not (body.subscriber_number and body.siren and body.service):
            raise problems.problem(
                "api.invalid_request",
                detail="« subscriber_number », « siren » et « service » sont obligatoires.",
            )
        items = [(body.subscriber_number, body.siren, body.service, body.action)]
    else:
        items = [(i.subscriber_number, i.siren, i.service, i.action) for i in body.items]
    rights = rights_of_pairs((number, siren) for number, siren, _, _ in items)
    answers = [_answer(rights[(n, s)], action, code) for n, s, code, action in items]
    if body.items is None:
        return answers[0]
    return {"results": answers}


def _answer(rights, action, code) -> dict:
    """Allowed or not; when not because the company requires a strong factor the holder lacks,
    the reason (docs/habilitations.md §14)."""
    if rights.allows(action, code):
        return {"allowed": True}
    reason = rights.refusal_code(action, code)
    return {"allowed": False, "reason": reason} if reason else {"allowed": False}
