"""A DSFR table whose scrolling part a keyboard reaches, for every front door's templates (the
pages, the back office; issue 21):

    {% load tables %}
    {% table "Détenteurs d'un droit" id="holders" %}
      <thead>…</thead><tbody>…</tbody>
    {% endtable %}

DSFR (1.14) scrolls a table wider than the screen inside `.fr-table__container`: on a phone,
most of our tables. A person without a mouse can scroll it only if it takes the focus, and a
screen reader says what it is only if it is named: the container is a `region`, focusable
(`tabindex="0"`), named by the table's caption (axe-core's rule `scrollable-region-focusable`).
The caption is the first argument (hidden on screen, as `fr-table--no-caption` wants it);
`id` is the table's, `class` more classes of the outer `div`.
"""

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html

register = template.Library()


@register.tag("table")
def table(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% table %} needs the table's caption first")
    caption = parser.compile_filter(bits[1])
    options = token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2 or set(options) - {"id", "class"}:
        raise template.TemplateSyntaxError("{% table %} takes only id= and class= after a caption")
    body = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(caption, options, body)


class TableNode(template.Node):
    def __init__(self, caption, options, body):
        self.caption, self.options, self.body = caption, options, body

    def render(self, context):
        caption = self.caption.resolve(context)
        table_id = self.options["id"].resolve(context) if "id" in self.options else ""
        more = self.options["class"].resolve(context) if "class" in self.options else ""
        return format_html(
            '<div class="fr-table fr-table--no-caption{}"><div class="fr-table__wrapper">'
            '<div class="fr-table__container" tabindex="0" role="region" aria-label="{}">'
            '<div class="fr-table__content"><table{}><caption>{}</caption>{}</table>'
            "</div></div></div></div>",
            f" {more}" if more else "",
            caption,
            format_html(' id="{}"', table_id) if table_id else "",
            caption,
            self.body.render(context),
        )
