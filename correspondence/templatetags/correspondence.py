"""Filters of the letter and e-mail templates (`{% load correspondence %}`)."""

from django import template

from correspondence.safety import quoted_name

register = template.Library()


@register.filter
def as_name(value) -> str:
    """A name given by a person, on one line between guillemets (docs/correspondence.md §5)."""
    return quoted_name(value)
