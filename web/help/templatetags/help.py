"""`{% learn_more "slug" %}`: the « En savoir plus » under a menu entry (docs/help.md §1);
`{% assistance_block %}`: the assistance's phone number and hours, from the settings (§3)."""

from django import template
from django.conf import settings
from django.urls import reverse

from web.help.topics import BY_SLUG, TOPICS

BY_TITLE = {topic.title: topic for topic in TOPICS}

register = template.Library()


@register.inclusion_tag("help/_learn_more.html")
def learn_more(slug: str) -> dict:
    topic = BY_SLUG[slug]  # an unknown slug is a mistake in a template: let it fail
    return {"url": reverse("help:topic", args=[slug]), "title": topic.title, "slug": slug}


@register.inclusion_tag("help/_learn_more.html")
def learn_more_about(entry: str) -> dict:
    """The « En savoir plus » of a menu entry named like its help page (the dossier's *Gérer*
    menu, built by its view); nothing for an entry without one."""
    topic = BY_TITLE.get(entry)
    if topic is None:
        return {}
    return {
        "url": reverse("help:topic", args=[topic.slug]),
        "title": topic.title,
        "slug": topic.slug,
    }


@register.inclusion_tag("help/_assistance.html")
def assistance_block(heading_level: int = 2) -> dict:
    return {
        "phone": settings.ASSISTANCE_PHONE,
        "price": settings.ASSISTANCE_PHONE_PRICE,
        "hours": settings.ASSISTANCE_HOURS,
        "heading": f"h{heading_level}",
    }
