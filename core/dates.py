"""Dates and times as the pages, e-mails and letters print them: French formats, Paris time."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format


def _local(value):
    return timezone.localtime(value) if isinstance(value, datetime) else value


def short_date(value: date | datetime) -> str:
    """« 02/03/2026 »."""
    return date_format(_local(value), "d/m/Y")


def date_at_time(value: datetime) -> str:
    """« 02/03/2026 à 10:30 » (Paris time)."""
    return date_format(_local(value), r"d/m/Y \à H:i")


def date_time(value: datetime) -> str:
    """« 02/03/2026 10:30 » (Paris time), for tables and files."""
    return date_format(_local(value), "d/m/Y H:i")
