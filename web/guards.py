"""Guards of the pages on a dossier: the rights come from `habilitations.access`; a refusal
is audited (who, where, why) then answered with a 403. An unknown company and a company
without rights look the same (no enumeration)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from audit.models import Action as AuditAction
from audit.trail import record
from companies.models import Company
from habilitations.access import Permission, Rights, dossier_of
from web.current_dossier import make_current


def refuse(request: HttpRequest, company_identifier: str, reason: str, **details) -> None:
    """Audit a refused authorization, then refuse (403)."""
    record(
        AuditAction.ACCESS_REFUSED,
        actor=request.user,
        target=company_identifier,
        path=request.path,
        reason=reason,
        **details,
    )
    raise PermissionDenied(reason)


def dossier_or_403(request: HttpRequest, identifier: str) -> tuple[Company, Rights]:
    """The company and the requester's rights on it (one query), or a 403 (audited) if they
    hold none. Every page of a dossier asks here, so the dossier becomes the current one and
    the page shows its bar (`web.current_dossier`)."""
    found = dossier_of(request.user, identifier)
    if found is None:
        refuse(request, identifier, "no habilitation on this company")
    make_current(request, *found)
    return found


def require(
    request: HttpRequest, company: Company, rights: Rights, permission: Permission, code: str
):
    """A 403 (audited) unless `rights` allow `permission` on `code`."""
    if not rights.allows(permission, code):
        refuse(request, company.identifier, f"{permission} not allowed on {code}", code=code)
