"""`{% password_expiry subscriber as expiry %}`: the expiry banner's data, computed by the flow,
so that the home page needs no change of its view to show it."""

from django import template

from accounts.flows.password_expiry import ExpiryStatus, expiry_status

register = template.Library()


@register.simple_tag
def password_expiry(subscriber) -> ExpiryStatus | None:
    if not getattr(subscriber, "is_authenticated", False):
        return None
    return expiry_status(subscriber)
