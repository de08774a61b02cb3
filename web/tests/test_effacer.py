"""*Effacer* where the seeds have it (issue 12 §6): the registration form (seed 002, step 3)
and the SIREN of an adhesion or a substitution (seed 001 §4.1, §4.3) come back empty, without
JavaScript, and nothing typed is kept."""

import pytest

from tests.helpers import SIGNUP_EMAIL, SIGNUP_PROFILE, STRONG_PASSWORD

pytestmark = pytest.mark.django_db
PROFILE_URL = "/creer-mon-espace/expert/formulaire/"


def test_effacer_empties_the_registration_form_and_what_was_kept_of_it(client, company):
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    client.post(
        "/creer-mon-espace/expert/identifiants/",
        {
            "email": SIGNUP_EMAIL,
            "email_confirmation": SIGNUP_EMAIL,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )
    client.post(PROFILE_URL, SIGNUP_PROFILE)  # kept: the recap is reachable
    assert client.get("/creer-mon-espace/expert/recapitulatif/").status_code == 200
    page = client.get(PROFILE_URL).content.decode()
    assert 'value="Lili"' in page and ">Effacer</button>" in page

    response = client.post(PROFILE_URL, {**SIGNUP_PROFILE, "clear": "1"})

    assert response["Location"] == PROFILE_URL
    page = client.get(PROFILE_URL).content.decode()
    assert 'value="Lili"' not in page and 'value="des Lilas"' not in page
    assert SIGNUP_EMAIL in page  # the login e-mail of step 2 stays, as the seed shows it
    assert client.get("/creer-mon-espace/expert/recapitulatif/").status_code == 302


@pytest.mark.parametrize("url", ["/espace/adhesions/", "/espace/substitutions/"])
def test_effacer_empties_the_siren_entry(client, alice, url):
    client.force_login(alice)
    page = client.post(url, {"identifier": "123", "clear": "1"}).content.decode()
    assert ">Effacer</button>" in page
    assert 'value="123"' not in page and "invalide" not in page
