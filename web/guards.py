"""Guards of the pages on a dossier: the rights come from `habilitations.rights.queries`; a refusal
is raised (`Refused`, a 403) wherever it is found, with no request in hand, and audited once,
at the edge, by the 403 handler (`forbidden`: who, where, why). An unknown company and a
company without rights look the same (no enumeration)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.views.defaults import permission_denied

from accounts.models import Subscriber
from audit.models import Action as AuditAction
from audit.trail import record
from companies.models import Company
from habilitations.rights.queries import Permission, Rights, dossier_of


class Refused(PermissionDenied):
    """A refused authorization: `target` is the company (or subscriber) asked about, `reason`
    says why (for the audit trail, never shown), `details` what was asked."""

    def __init__(self, target: str, reason: str, **details):
        super().__init__(reason)
        self.target, self.reason, self.details = target, reason, details


def refuse(target: str, reason: str, **details) -> None:
    """Refuse (403); `forbidden` audits it."""
    raise Refused(target, reason, **details)


def forbidden(request: HttpRequest, exception: Exception):
    """The 403 handler (`config.urls.handler403`): audit a `Refused` (the one place a refusal
    is recorded), then Django's page."""
    if isinstance(exception, Refused):
        record_refusal(request, exception.target, exception.reason, **exception.details)
    return permission_denied(request, exception)


def record_refusal(request: HttpRequest, target: str, reason: str, **details) -> None:
    """Audit a refusal: a 403 (from `forbidden`), or one the page shows next to its form."""
    record(
        AuditAction.ACCESS_REFUSED,
        actor=request.user,
        target=target,
        path=request.path,
        reason=reason,
        **details,
    )


def dossier_or_403(user: Subscriber, identifier: str) -> tuple[Company, Rights]:
    """The company and `user`'s rights on it (one query), or a 403 (audited) if they hold
    none. It checks access and nothing else: the page makes the dossier current
    (`web.current_dossier.make_current`)."""
    found = dossier_of(user, identifier)
    if found is None:
        refuse(identifier, "no habilitation on this company")
    return found


def require(company: Company, rights: Rights, permission: Permission, code: str):
    """A 403 (audited) unless `rights` allow `permission` on `code`."""
    if not rights.allows(permission, code):
        refuse(company.identifier, f"{permission} not allowed on {code}", code=code)
