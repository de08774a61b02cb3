"""Data for django-dsfr's stepper, breadcrumb and alert tags, built from what our views pass."""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

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


class _CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The block is rendered like any template output (autoescaped), so it is safe HTML.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as text %}…{% endcapture %}` stores the rendered block in `text`, for the
    `content` of `{% dsfr_alert %}` when it holds markup (a link): django-dsfr escapes a plain
    string (`DSFR_CONTENT_IS_SAFE` is off) but prints safe HTML as is, so HTML content is built
    here, where user data is escaped as in any template, never marked safe from a raw string."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return _CaptureNode(nodelist, bits[2])
