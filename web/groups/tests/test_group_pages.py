"""The groups of dossiers' pages (docs/habilitations.md §13)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habilitations.choices import Role
from habilitations.groups import actions as groups
from tests.factories import SubscriberFactory, bulk_portfolio
from web.tests.test_identifier_lists import CRAFTED

pytestmark = pytest.mark.django_db


def test_groups_are_for_holders_of_dossiers_and_each_owner_sees_only_theirs(client, alice, bob):
    client.force_login(bob)
    assert client.post("/espace/groupes/", {"name": "G"}).status_code == 403
    bulk_portfolio(alice, 2)
    group = groups.create(alice, "Mes clients")
    assert client.get(f"/espace/groupes/{group.pk}/").status_code == 403
    assert client.post(f"/espace/groupes/{group.pk}/", {"action": "delete"}).status_code == 403
    client.force_login(alice)
    response = client.post("/espace/groupes/", {"name": "Mes clients"})
    assert "Vous avez déjà un groupe nommé" in response.content.decode()


def test_pasted_lines_are_added_and_the_refused_ones_said(client, alice):
    companies = bulk_portfolio(alice, 2)
    group = groups.create(alice, "G")
    client.force_login(alice)
    text = f"SIREN\n{companies[0].identifier}\n123456789\n{companies[1].identifier}\n732829320\n"
    page = client.post(
        f"/espace/groupes/{group.pk}/",
        {"action": "add_dossiers", "add-identifiers": text},
        follow=True,
    ).content.decode()
    assert "2 dossiers ajoutés au groupe." in page
    assert "123456789 : Numéro SIREN invalide" in page
    assert "732829320 : Ce SIREN n&#x27;est pas l&#x27;un de vos dossiers." in page


def test_the_group_page_takes_the_same_number_of_queries_for_10_or_500_dossiers(client, alice):
    counts = []
    for size, start in ((10, 100), (500, 1000)):
        companies = bulk_portfolio(alice, size, start=start)
        group = groups.create(alice, f"G{size}")
        groups.add_dossiers(alice, group.pk, [c.identifier for c in companies])
        groups.add_member(alice, group.pk, SubscriberFactory(), Role.ACTOR, ["declarer_tva"])
        client.force_login(alice)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/espace/groupes/{group.pk}/").content.decode()
        assert f"{size} dossiers" in page
        counts.append(len(captured.captured_queries))
    # The session and the user, the group, its first dossiers and their count, its members and
    # what the group gives each.
    assert counts == [7, 7], counts


def test_a_forged_dossier_or_member_number_changes_nothing(client, alice):
    (company,) = bulk_portfolio(alice, 1)
    group = groups.create(alice, "G")
    groups.add_dossiers(alice, group.pk, [company.identifier])
    client.force_login(alice)
    for action, key in (("remove_dossier", "company"), ("remove_member", "member")):
        for value in ("abc", "١٢", "999999"):
            response = client.post(f"/espace/groupes/{group.pk}/", {"action": action, key: value})
            assert response.status_code == 302
    assert group.dossiers.count() == 1


def test_a_csv_file_adds_its_dossiers_and_is_refused_past_its_limits(client, alice, settings):
    companies = bulk_portfolio(alice, 2)
    group = groups.create(alice, "G")
    client.force_login(alice)
    url = f"/espace/groupes/{group.pk}/"
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data" novalidate id="add-form"' in page
    assert 'type="file" name="add-identifiers_file"' in page
    content = f"SIREN,Nom\n{companies[0].identifier},A\n{companies[1].identifier},B\n".encode()
    page = client.post(
        url,
        {"action": "add_dossiers", "add-identifiers_file": SimpleUploadedFile("g.csv", content)},
        follow=True,
    ).content.decode()
    assert "2 dossiers ajoutés au groupe." in page
    settings.IDENTIFIER_LIST_MAX_BYTES = 1024
    response = client.post(
        url,
        {
            "action": "add_dossiers",
            "add-identifiers_file": SimpleUploadedFile("g.csv", content * 40),
        },
    )
    told = response.context["add"].errors["identifiers_file"][0]
    assert told.startswith("Ce fichier est trop volumineux : au plus 1 Ko")


def test_the_list_that_stalled_the_site_is_answered_at_once_on_a_group(client, alice):
    bulk_portfolio(alice, 1)
    group = groups.create(alice, "G")
    client.force_login(alice)
    client.get(f"/espace/groupes/{group.pk}/")  # templates loaded: not what is measured
    started = time.perf_counter()
    response = client.post(
        f"/espace/groupes/{group.pk}/", {"action": "add_dossiers", "add-identifiers": CRAFTED[0]}
    )
    assert time.perf_counter() - started < 1
    assert response.context["add"].errors["identifiers"] == [
        "Saisissez au moins un SIREN, ou choisissez un fichier."
    ]
