"""System checks of the correspondence settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def outbox_only_in_development(app_configs=None, **kwargs) -> list[Error]:
    """The outbox shows one-time codes and links in clear (docs/correspondence.md §4.2): it
    must never be on where DEBUG is off."""
    if settings.OUTBOX_ENABLED and not settings.DEBUG:
        return [
            Error(
                "OUTBOX_ENABLED is on while DEBUG is off: the outbox shows one-time codes "
                "and links in clear, and keeps them unmasked in the recorded messages.",
                hint="Unset OUTBOX_ENABLED outside development (or set DEBUG=1 on a laptop).",
                id="correspondence.E001",
            )
        ]
    return []
