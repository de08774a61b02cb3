"""What the front doors read about spaces (docs/accounts.md §2): the same look-up for the
pages, the API and the back office."""

from accounts.models import Subscriber


def subscriber_by_number(number: str) -> Subscriber | None:
    """The space with this subscriber number, active or not (docs/accounts.md §2.2)."""
    return Subscriber.objects.filter(subscriber_number=number).first()


def designatable_subscriber(number: str) -> Subscriber | None:
    """The active space one designates by its number; an inactive one is as unknown
    (docs/accounts.md §2.3, docs/habilitations.md §4.1)."""
    return Subscriber.objects.filter(subscriber_number=number, is_active=True).first()
