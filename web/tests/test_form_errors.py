"""How a page tells its forms' errors (web/templatetags/form_errors.py, issue 12 §5)."""

import re

import pytest
from django import forms
from django.template import Context, Template
from dsfr.forms import DsfrBaseForm

from web.signup.forms import ConditionsForm


class Sample(DsfrBaseForm):
    name = forms.CharField(label="Nom", error_messages={"required": "Saisissez votre nom."})
    choice = forms.ChoiceField(
        label="Choix",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez."},
    )

    def clean(self):
        self.add_error(None, "Rien ne va.")
        return self.cleaned_data


def _render(text: str, **context) -> str:
    return Template("{% load form_errors %}" + text).render(Context(context))


def test_the_summary_leads_to_each_field_in_the_page_order():
    form = Sample({})
    assert not form.is_valid()
    html = _render("{% error_summary form %}", form=form)
    assert "Le formulaire contient 3 erreurs" in html
    # Errors of no field first and without a link, then the text input, then the first radio.
    assert html.index("Rien ne va.") < html.index('<a href="#id_name">Saisissez votre nom.</a>')
    assert html.index("#id_name") < html.index('<a href="#id_choice_0">Choisissez.</a>')
    assert '<a href="#">' not in html


def test_no_summary_and_no_error_title_for_a_form_without_errors():
    valid = ConditionsForm({"accept": "on"})
    assert valid.is_valid()
    assert _render("{% error_summary form %}", form=valid).strip() == ""
    assert _render("{% page_has_errors as e %}{{ e }}", form=valid) == "False"
    # A form its view has not validated is not validated by the page either.
    unvalidated = Sample({})
    assert _render("{% page_has_errors as e %}{{ e }}", form=unvalidated) == "False"
    assert unvalidated._errors is None


@pytest.mark.django_db
def test_the_title_starts_with_erreur_when_a_form_of_the_page_has_errors(client):
    page = client.post("/creer-mon-espace/expert/", {}).content.decode()
    assert "<title>Erreur : " in page
    assert "<title>Erreur" not in client.get("/creer-mon-espace/expert/").content.decode()


def test_the_summary_can_take_the_focus_but_is_not_in_the_tab_order():
    html = _render("{% error_summary form %}", form=_invalid())
    assert 'id="error-summary" tabindex="-1"' in html


def _invalid() -> Sample:
    form = Sample({})
    assert not form.is_valid()
    return form


@pytest.mark.django_db
def test_a_page_back_with_errors_loads_the_script_that_focuses_its_summary(client):
    """A static file under the page's nonce (the CSP allows no inline script)."""
    page = client.post("/creer-mon-espace/expert/", {}).content.decode()
    assert re.search(r'<script src="[^"]*web/error_summary\.js" nonce="[^"]+"></script>', page)
    assert "error_summary.js" not in client.get("/creer-mon-espace/expert/").content.decode()
