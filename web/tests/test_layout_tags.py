"""`{% capture %}` (web/templatetags/layout.py): the content given to django-dsfr's alert tag."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def _render(source: str, **context) -> str:
    return Template("{% load dsfr_tags layout %}" + source).render(Context(context))


def test_a_captured_alert_escapes_user_data_and_keeps_its_markup():
    html = _render(
        '{% capture as text %}Envoyé à {{ name }}. <a href="/x/">Suite</a>{% endcapture %}'
        '{% dsfr_alert type="info" content=text %}',
        name="<script>alert(1)</script>",
    )
    assert "<script>" not in html
    assert 'Envoyé à &lt;script&gt;alert(1)&lt;/script&gt;. <a href="/x/">Suite</a>' in html


def test_a_captured_block_prints_nothing_where_it_stands():
    assert _render("[{% capture as text %} Bonjour {% endcapture %}]{{ text }}") == "[]Bonjour"


def test_capture_needs_a_name():
    with pytest.raises(TemplateSyntaxError, match="capture as name"):
        _render("{% capture %}x{% endcapture %}")
