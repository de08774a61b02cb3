"""Links put in e-mails (docs/security.md §11): `core.links`, which every front door shares."""

from core.links import site_link, token_link

__all__ = ["site_link", "token_link"]
