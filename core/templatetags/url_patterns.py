"""A list's links reversed once, not once a row (core.links.UrlPattern), for every front door's
templates (the pages, the back office):

    {% load url_patterns %}{% url_pattern 'delegation_requests:answer' as answer_url %}
    {% for req in rows %}<a href="{{ answer_url|url_for:req.pk }}">…{% endfor %}

`url_pattern` takes the route's other arguments first, as `{% url %}` does; the row's key is
the last one."""

from django import template

from core import links

register = template.Library()


@register.simple_tag
def url_pattern(url_name: str, *args) -> links.UrlPattern:
    return links.url_pattern(url_name, *args)


@register.filter
def url_for(pattern: links.UrlPattern, key) -> str:
    """The address of the row whose key is `key`."""
    return pattern.url(key)
