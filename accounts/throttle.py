"""Progressive slowdown of failed logins (docs/security.md §6), before django-axes' temporary lock.

After `LOGIN_SLOWDOWN_AFTER` failures for an e-mail from an address, each new attempt must
wait 2, 4, 8… seconds after the previous failure; the lock of django-axes comes next. The
count is django-axes' own (in the database, shared by every app process) and is the same
whether the e-mail has a space or not.
"""

import math

from axes.models import AccessAttempt
from django.conf import settings

from core import clock


def seconds_to_wait(username: str, ip_address: str | None) -> int:
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .only("failures_since_start", "attempt_time")
        .first()
    )
    if attempt is None or attempt.failures_since_start < settings.LOGIN_SLOWDOWN_AFTER:
        return 0
    delay = 2 ** (attempt.failures_since_start - settings.LOGIN_SLOWDOWN_AFTER + 1)
    elapsed = (clock.now() - attempt.attempt_time).total_seconds()
    return max(0, math.ceil(delay - elapsed))
