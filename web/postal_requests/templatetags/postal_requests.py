from django import template

from habilitations.choices import RequestKind
from habilitations.postal.queries import requests_of

register = template.Library()


@register.inclusion_tag("postal_requests/_simplified_outcome.html")
def simplified_outcome(subscriber) -> dict:
    """On the page shown right after activation: what a simplified-mode creation granted."""
    return {"req": requests_of(subscriber, (RequestKind.SIMPLIFIED,)).first()}
