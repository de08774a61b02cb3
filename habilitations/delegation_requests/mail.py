"""Who is told of a firm's delegation request, and how (docs/habilitations.md §12.2): the
company's administrators of the services asked (AT, AS) when it is sent and when it is withdrawn,
by e-mail with no link (they answer logged in); the firm of every transition."""

from accounts.models import Subscriber
from correspondence.mail import send_email
from habilitations.catalogue import label, service_of
from habilitations.models import ADMIN_ROLES, DelegationRequest, Habilitation, State


def firm_of(requester) -> str:
    """The firm a requester acts for: the SIREN (or equivalent) their space declares."""
    return (requester.company_identifier or "").replace(" ", "").upper()


def administrators(company_ids, services):
    """The administrators (AT, AS, active) of these services of these companies, one row per
    role held: those a request asking for the services is addressed to (§12.2)."""
    return (
        Habilitation.objects.filter(
            company_id__in=company_ids,
            role__in=ADMIN_ROLES,
            state=State.ACTIVE,
            service__in=services,
        )
        .select_related("subscriber")
        .order_by("subscriber_id", "company_id")
    )


def tell_administrators(requester, asked, requests, message: str) -> None:
    """Each administrator (AT, AS) of a service concerned gets one e-mail for the whole
    submission, naming the firm, the requester, each company and what it is asked."""
    if not asked:
        return
    by_company = {
        company.pk: (company, items, req)
        for (company, items), req in zip(asked, requests, strict=True)
    }
    services_asked = {service_of(code) for _, items in asked for code, _ in items}
    rows = administrators(by_company, services_asked)
    per_admin: dict[int, tuple[Subscriber, dict[int, tuple]]] = {}
    for row in rows:
        company, items, req = by_company[row.company_id]
        if not any(service_of(code) == row.service for code, _ in items):
            continue
        admin, mine = per_admin.setdefault(row.subscriber_id, (row.subscriber, {}))
        mine[company.pk] = (company, [(label(c), r.label) for c, r in items], req.expires_at)
    for admin, mine in per_admin.values():
        send_email(
            "delegation_request_received",
            admin.email,
            {
                "admin": admin,
                "requester": requester,
                "firm": requester.company_name or firm_of(requester),
                "firm_identifier": firm_of(requester),
                "companies": list(mine.values()),
                "message": message,
            },
        )


def tell_firm(req: DelegationRequest, what: str) -> None:
    """Each transition is e-mailed to the firm (its requester)."""
    send_email(
        "delegation_request_update",
        req.requester.email,
        {"req": req, "what": what, "items": list(req.items.all())},
    )


def tell_administrators_withdrawn(req: DelegationRequest) -> None:
    """The company's administrators the request is addressed to (those told of it, unless the
    company's administrators changed since) learn it is withdrawn: one e-mail each, no link."""
    items = list(req.items.all())
    admins = {
        row.subscriber_id: row.subscriber
        for row in administrators([req.company_id], {item.service for item in items})
    }
    for admin in admins.values():
        send_email(
            "delegation_request_withdrawn",
            admin.email,
            {"admin": admin, "req": req, "items": [(i.label, i.role_label) for i in items]},
        )
