"""Rate limits on views that cost CPU and need no login (docs/security.md §13): counted per
client address in the table of limits; past it, 429 with Retry-After, and the refusal audited
once per window."""

from functools import wraps

from django.http import HttpResponse

from audit.models import Action
from audit.trail import record
from core import context, limits


def per_address(limit: str):
    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            usage = limits.hit(limit, context.current().ip_address or "-")
            if usage.exceeded:
                if usage.count == usage.limit + 1:
                    record(Action.RATE_LIMITED, target=request.path[:200], limit=limit)
                response = HttpResponse("Trop de requêtes : réessayez plus tard.", status=429)
                response["Retry-After"] = str(usage.retry_after)
                return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
