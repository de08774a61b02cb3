"""The one place "now" comes from, so that tests move the clock with time-machine."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    """Today's date in Paris (the product's time zone)."""
    return timezone.localdate(now())
