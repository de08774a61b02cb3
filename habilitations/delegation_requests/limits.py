"""The limits on a firm's delegation requests (docs/habilitations.md §12): pending requests per
requester, requests per requester and per company and day (the table of limits, `core.limits`;
values in config/rules.py). The counters of previews and of refused single requests are counted
where they are asked, in `habilitations.delegation_requests.actions`."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count

from core import limits
from core.refusals import Refusal
from habilitations.models import DelegationRequest, DelegationRequestState

if TYPE_CHECKING:
    from habilitations.delegation_requests.actions import DelegationRequestPlan


def check_limits(requester, plan_: "DelegationRequestPlan", now) -> None:
    """The limits of the table, under the requester's and the companies' locks: a whole
    submission beyond the requester's limits is refused; a company over its daily limit is
    refused alone (it moves from `asked` to `refused`)."""
    wanted = len(plan_.asked)
    if not wanted:
        return
    pending = DelegationRequest.objects.filter(
        requester=requester, state=DelegationRequestState.PENDING, expires_at__gt=now
    ).count()
    cap = settings.DELEGATION_REQUESTS_PENDING_PER_REQUESTER
    if pending + wanted > cap:
        raise Refusal("delegation_request.too_many_pending", limit=cap, left=max(0, cap - pending))
    per_requester = limits.rate("delegation_request.requester")
    recent = DelegationRequest.objects.filter(
        requester=requester, created_at__gt=now - timedelta(seconds=per_requester.seconds)
    ).count()
    if recent + wanted > per_requester.count:
        raise Refusal(
            "delegation_request.too_many_today",
            limit=per_requester.count,
            left=max(0, per_requester.count - recent),
        )
    per_company = limits.rate("delegation_request.company")
    received = dict(
        DelegationRequest.objects.filter(
            company_id__in=[c.pk for c, _ in plan_.asked],
            created_at__gt=now - timedelta(seconds=per_company.seconds),
        )
        .values_list("company_id")
        .annotate(n=Count("id"))
    )
    busy = [(c, items) for c, items in plan_.asked if received.get(c.pk, 0) >= per_company.count]
    for company, items in busy:
        plan_.asked.remove((company, items))
        plan_.refused.append((company, Refusal("delegation_request.unavailable", cause="busy")))
