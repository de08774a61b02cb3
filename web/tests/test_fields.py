import pytest
from django import forms

from web.fields import NormalizedEmailField


class _Form(forms.Form):
    email = NormalizedEmailField(label="Adresse")
    other = NormalizedEmailField(label="Autre", required=False, error_messages={"invalid": "Non."})


def test_addresses_are_kept_trimmed_and_in_lower_case():
    form = _Form({"email": "  Lila.ROSEMONDE@Example.FR "})
    assert form.is_valid()
    assert form.cleaned_data == {"email": "lila.rosemonde@example.fr", "other": ""}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": ""}, "email", "Saisissez votre adresse électronique."),
        ({"email": "lila"}, "email", "Saisissez une adresse électronique valide (par exemple"),
        ({"email": "a" * 96 + "@x.fr"}, "email", "ne doit pas dépasser 100 caractères"),
        ({"email": "a@b.fr", "other": "nope"}, "other", "Non."),
    ],
)
def test_french_messages_next_to_the_field(data, field, message):
    form = _Form(data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
