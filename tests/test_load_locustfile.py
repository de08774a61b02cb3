"""The load test (bench/load/) stays in step with the site: its paths resolve to the views it
means, its way of reading pages works on the real pages, and the locustfile imports with a
user class for every scenario of run.py. A renamed URL or template breaks these tests, not
the next load run."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve

from accounts.factors import app
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD

LOAD = Path(__file__).resolve().parent.parent / "bench" / "load"
sys.path.insert(0, str(LOAD))

import portal  # noqa: E402  (bench/load/portal.py: no locust, no gevent)


@pytest.mark.parametrize(("name", "template"), sorted(portal.ROUTES.items()))
def test_each_path_of_the_load_test_resolves_to_its_view(name, template):
    path = template.format(identifier="732829320")
    assert resolve(path).view_name == name


def test_the_locustfile_imports_with_a_user_class_for_each_scenario_of_run_py():
    # In a child process: importing locust patches the standard library (gevent).
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import locustfile, run; "
        "print(json.dumps([s.user_class for s in run.SCENARIOS "
        "if not getattr(locustfile, s.user_class, None) or not locustfile."
        "__dict__[s.user_class].tasks]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(LOAD)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.django_db
def test_a_journey_of_the_load_test_reads_the_real_pages():
    """What JourneyUser does, with the test client and the CSRF checks of a browser."""
    firm = SubscriberFactory(email="cabinet@example.fr")
    for _ in range(53):
        HabilitationFactory(subscriber=firm)
    app.start_enrolment(firm, portal.LOAD_TOTP_HEX)
    firm.totp_devices.update(confirmed=True)
    firm.login_factor = "totp"
    firm.save()
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(portal.LOGIN).content.decode()
    response = browser.post(
        portal.LOGIN,
        {
            "csrfmiddlewaretoken": portal.csrf_token(page),
            "username": firm.email,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(portal.LOGIN_STEP)
    step = browser.get(portal.LOGIN_STEP).content.decode()
    response = browser.post(
        portal.LOGIN_STEP,
        {"csrfmiddlewaretoken": portal.csrf_token(step), "code": portal.totp(), "remember": "on"},
    )
    assert response.status_code == 302 and response["Location"].endswith(portal.HOME)
    assert portal.LOGGED_IN in browser.get(portal.HOME).content.decode()

    first = browser.get(portal.PORTFOLIO).content.decode()
    assert portal.DOSSIER_LIST in first
    listed = portal.dossiers(first)
    names = portal.dossier_names(first)
    assert len(listed) == len(names) == 50
    second = browser.get(portal.next_page(first)).content.decode()
    assert len(portal.dossiers(second)) == 3
    assert set(listed).isdisjoint(portal.dossiers(second))
    assert portal.next_page(second) is None

    found = browser.get(portal.search_path(names[0])).content.decode()
    assert listed[0] in portal.dossiers(found)
    dossier = browser.get(portal.DOSSIER.format(identifier=listed[0]))
    assert dossier.status_code == 200 and listed[0] in dossier.content.decode()
    assert browser.get(portal.SERVICES).status_code == 200
    delegations = browser.get(portal.DELEGATIONS.format(identifier=listed[1]))
    assert delegations.status_code == 200

    token = portal.csrf_token(delegations.content.decode())
    assert browser.post(portal.LOGOUT, {"csrfmiddlewaretoken": token}).status_code == 302
    assert browser.get(portal.HOME).status_code == 302  # logged out: back to the login page
