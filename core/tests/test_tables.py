"""{% table %} (core/templatetags/tables.py): the part of a table that scrolls on a phone takes
the keyboard's focus and is named by the table's caption (issue 21)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from pytest_django.asserts import assertHTMLEqual


def _render(source, **context):
    return Template("{% load tables %}" + source).render(Context(context))


def test_the_scrolling_part_is_a_focusable_region_named_by_the_caption():
    rendered = _render(
        '{% table "Habilitations sur "|add:name id="mine" class="fr-mb-0" %}'
        "<tbody><tr><td>{{ cell }}</td></tr></tbody>{% endtable %}",
        name="SARL <B> & fils",
        cell="Déclarer TVA",
    )
    # DSFR scrolls .fr-table__container: it is the region, named as the (hidden) caption.
    assertHTMLEqual(
        rendered,
        '<div class="fr-table fr-table--no-caption fr-mb-0"><div class="fr-table__wrapper">'
        '<div class="fr-table__container" tabindex="0" role="region"'
        ' aria-label="Habilitations sur SARL &lt;B&gt; &amp; fils">'
        '<div class="fr-table__content"><table id="mine">'
        "<caption>Habilitations sur SARL &lt;B&gt; &amp; fils</caption>"
        "<tbody><tr><td>Déclarer TVA</td></tr></tbody></table></div></div></div></div>",
    )


def test_a_table_without_id_or_class_has_none():
    rendered = _render('{% table "Délégataires" %}<tbody></tbody>{% endtable %}')
    assert "<table><caption>Délégataires</caption>" in rendered
    assert 'class="fr-table fr-table--no-caption"' in rendered


def test_an_unknown_option_is_refused_when_the_template_is_read():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load tables %}{% table "T" style="x" %}{% endtable %}')


def test_every_table_of_the_templates_goes_through_the_tag():
    """A table written by hand (as the page after a password change first was) would scroll on
    a phone out of the keyboard's reach: every template writes its tables with {% table %}."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    by_hand = [
        str(path.relative_to(root))
        for path in root.glob("*/**/templates/**/*.html")
        if ".venv" not in path.parts
        and (
            "<table" in path.read_text(encoding="utf-8")
            or 'class="fr-table' in path.read_text(encoding="utf-8")
        )
    ]
    assert by_hand == []
