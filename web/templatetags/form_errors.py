"""How the errors of a page's forms are told (issue 12 §5, docs/design.md "Forms"): « Erreur »
at the start of the page's title whenever a form of the page has errors (the base template asks
`page_has_errors`), and the summary at the top of long forms, each error a link to its field
(`{% error_summary form other_form %}`). The errors themselves stay next to their fields."""

from django import forms, template
from django.forms.forms import NON_FIELD_ERRORS

register = template.Library()


def _has_errors(form) -> bool:
    """Errors of a form its view has validated (reading `errors` here would validate it)."""
    return isinstance(form, forms.BaseForm) and form.is_bound and bool(form._errors)


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """A form of the page has errors, or the view tells of one (`error`: a refused action)."""
    values = context.flatten().values()
    return bool(context.get("error")) or any(_has_errors(value) for value in values)


def anchor(form, name: str) -> str:
    """The id of the input an error of `name` leads to: the form's own choice for the fields it
    renders by hand (`error_anchors`), else the field's input (its first choice for a group)."""
    anchors = getattr(form, "error_anchors", {})
    if name in anchors:
        return anchors[name]
    bound = form[name]
    return bound.id_for_label or f"{bound.auto_id}_0"


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms_) -> dict:
    entries = []
    for form in forms_:
        if not _has_errors(form):
            continue
        # In the page's order: errors of no field first, then field by field.
        order = [NON_FIELD_ERRORS, *form.fields]
        for name in sorted(form.errors, key=order.index):
            target = "" if name == NON_FIELD_ERRORS else anchor(form, name)
            entries += [(target, message) for message in form.errors[name]]
    return {"entries": entries}
