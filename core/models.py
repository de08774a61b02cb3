"""The shared layer's one table: rate-limit counters when no cache is shared (core/limits.py)."""

from django.db import models


class RateCounter(models.Model):
    """The count of one limit, for one key, in one window (the key is a digest: no e-mail or
    address in clear)."""

    key = models.CharField(max_length=80, unique=True)
    count = models.IntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
