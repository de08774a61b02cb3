from django import template

from habilitations.models import PostalRequest, RequestKind

register = template.Library()


@register.inclusion_tag("requests/_simplified_outcome.html")
def simplified_outcome(subscriber) -> dict:
    """On the page shown right after activation: what a simplified-mode creation granted."""
    req = (
        PostalRequest.objects.filter(requester=subscriber, kind=RequestKind.SIMPLIFIED)
        .select_related("company")
        .first()
    )
    return {"req": req}
