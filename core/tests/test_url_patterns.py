"""A list's links reversed once (core.links.UrlPattern, docs/design.md "The hot path"): each row's
address is the one `reverse()` gives."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from core.links import url_pattern


@pytest.mark.parametrize(
    ("name", "args", "keys"),
    [
        ("dossiers:dossier", (), ["732829320", "P12345678"]),
        ("delegation_requests:answer", (), [1, 42, 987654321]),
        ("delegation_requests:withdraw", (), [7]),  # the key in the middle of the address
        ("backoffice:subscriber", (), ["20101670101919"]),
        ("backoffice:action", ("cancel_registration",), [3]),  # other arguments first
    ],
)
def test_each_row_gets_the_address_reverse_gives(name, args, keys):
    pattern = url_pattern(name, *args)
    for key in keys:
        assert pattern.url(key) == reverse(name, args=[*args, key])


def test_a_key_is_quoted_as_reverse_quotes_it():
    assert url_pattern("backoffice:subscriber").url("a b?é") == reverse(
        "backoffice:subscriber", args=["a b?é"]
    )


def test_a_route_without_a_key_is_refused_loudly():
    with pytest.raises(NoReverseMatch):
        url_pattern("delegation_requests:sent")


def test_the_template_tag_and_filter():
    html = Template(
        "{% load url_patterns %}{% url_pattern 'delegation_requests:answer' as answer_url %}"
        '{% for pk in pks %}<a href="{{ answer_url|url_for:pk }}">{% endfor %}'
    ).render(Context({"pks": [3, 14]}))
    assert html == (
        '<a href="/espace/demandes-delegation/recues/3/">'
        '<a href="/espace/demandes-delegation/recues/14/">'
    )
