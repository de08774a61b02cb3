"""Subscriber numbers (docs/accounts.md §2): the year of activation then 10 random digits."""

import secrets


def new_subscriber_number(year: int) -> str:
    """'2026' + 10 digits from `secrets`, neither sequential nor guessable."""
    return f"{year:04d}{secrets.randbelow(10**10):010d}"
