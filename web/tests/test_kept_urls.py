"""`{% url %}` of the site's templates (web/templatetags/kept_urls.py): Django's answers, each
address reversed once per process."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from web.templatetags import kept_urls


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_the_same_answers_as_django_reversed_once():
    kept_urls._kept.cache_clear()
    assert render("{% url 'space:home' %}") == reverse("space:home")
    assert render("{% url 'api_space:revoke_token' 7 %}") == reverse(
        "api_space:revoke_token", args=[7]
    )
    assert render("{% url 'api_space:revoke_token' pk=7 %}") == reverse(
        "api_space:revoke_token", kwargs={"pk": 7}
    )
    misses = kept_urls._kept.cache_info().misses
    for _ in range(3):
        render("{% url 'space:home' %}{% url 'api_space:revoke_token' 7 %}")
    assert kept_urls._kept.cache_info().misses == misses  # no new reverse()


def test_errors_and_as_var_behave_as_in_django():
    with pytest.raises(NoReverseMatch):
        render("{% url 'space:no_such_page' %}")
    assert render("{% url 'space:no_such_page' as link %}[{{ link }}]") == "[]"
    assert render("{% url 'space:home' as link %}<{{ link }}>") == f"<{reverse('space:home')}>"


def test_other_arguments_are_reversed_each_time():
    class Changing:
        def __init__(self, value):
            self.value = value

        def __str__(self):
            return self.value

    one = Changing("1")
    first = render("{% url 'api_space:revoke_token' x %}", x=one)
    one.value = "2"
    assert render("{% url 'api_space:revoke_token' x %}", x=one) != first


def test_a_new_url_configuration_empties_what_was_kept(settings):
    render("{% url 'space:home' %}")
    assert kept_urls._kept.cache_info().currsize > 0
    settings.ROOT_URLCONF = "config.urls"
    assert kept_urls._kept.cache_info().currsize == 0
