"""Data for django-dsfr's stepper and breadcrumb tags, built from what our views pass."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def stepper_data(steps, current_step) -> dict:
    """`steps` is a list of (url name, title); `current_step` counts from 1."""
    titles = [title for _name, title in steps]
    current = int(current_step)
    return {
        "current_step_id": current,
        "total_steps": len(titles),
        "current_step_title": titles[current - 1][:1].upper() + titles[current - 1][1:],
        "next_step_title": titles[current] if current < len(titles) else "",
    }


@register.simple_tag
def dossier_breadcrumb_data(here, company=None) -> dict:
    """The space's home, then the dossier if any, then the current page."""
    links = []
    if company:
        links.append(
            {"url": reverse("dossiers:dossier", args=[company.identifier]), "title": company.name}
        )
    return {"root_dir": reverse("space:home"), "links": links, "current": here}
