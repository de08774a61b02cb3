"""How the pages show a refusal of the habilitation rules: the same French sentence, in the same
place as before refusals had codes (above the form, or as a page message)."""

import re

import pytest
from django.test.html import parse_html

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from habilitations.choices import Origin, Role
from habilitations.delegation.actions import designate
from habilitations.delegation.rules import Designation
from habilitations.models import Habilitation
from habilitations.rights.actions import grant
from tests.factories import CompanyFactory
from tests.helpers import prove_fresh_factor

pytestmark = pytest.mark.django_db

ALERT = '<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert"><p>{}</p></div>'
ABOVE_THE_FIELDS = '<ul class="errorlist nonfield"><li class="fr-error-text">{}</li></ul>'


def _tight(page: str) -> str:
    """The page without the white space around its tags (the error lists' template has some)."""
    return re.sub(r"\s*([<>])\s*", r"\1", page)


def _between(page: str, before: str, text: str, after: str) -> bool:
    start = page.index(before)
    return start < page.index(text, start) < page.index(after, start)


def _alert_after_paragraph(page: str, paragraph_id: str, alert: str, after: str) -> bool:
    """`alert`, compared as HTML (attribute order and white space aside, as in assertInHTML),
    between the end of the paragraph `paragraph_id` and `after`."""
    start = page.index("</p>", page.index(f'<p class="fr-text--lead" id="{paragraph_id}">')) + 4
    return parse_html(alert) in parse_html(page[start : page.index(after, start)])


def test_the_delegate_page_shows_a_refusal_above_the_levels(client, company, alice, bob, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    designate(alice, company, carol, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    client.force_login(bob)
    prove_fresh_factor(client)
    url = (
        f"/espace/dossiers/{company.identifier}/delegations/delegataire/{carol.subscriber_number}/"
    )
    page = client.post(url, {"level-declarer_tva": "AC"}).content.decode()
    message = (
        "Cet abonné est déjà acteur délégant de « Déclarer TVA » : vous ne pouvez pas modifier "
        "ce rôle."
    )
    assert _alert_after_paragraph(page, "delegate-holder", ALERT.format(message), "<form")
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED, actor=bob, details__reason=message
    ).exists()
    page = client.post(url, {}).content.decode()
    alert = ALERT.format("Choisissez un niveau pour au moins un service.")
    assert _alert_after_paragraph(page, "delegate-holder", alert, "<form")
    assert client.get(url).content.decode().count('role="alert"') == 0


def test_the_deputies_page_shows_a_refusal_on_its_form(client, company, alice):
    grant(company, alice, "payer", Role.TITULAR_ADMIN, Origin.ADHESION)
    client.force_login(alice)
    prove_fresh_factor(client)
    url = f"/espace/dossiers/{company.identifier}/suppleants/"
    page = _tight(
        client.post(
            url, {"service": "payer", "number": alice.subscriber_number, "confirm": "1"}
        ).content.decode()
    )
    message = ABOVE_THE_FIELDS.format("Vous ne pouvez pas vous désigner vous-même.")
    assert _between(page, '<form method="post" novalidate', message, 'name="service"')
    assert not Habilitation.objects.filter(role=Role.DEPUTY_ADMIN).exists()


def test_the_bulk_page_shows_a_refusal_on_its_form(client, alice):
    grant(CompanyFactory(), alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    client.force_login(alice)
    prove_fresh_factor(client)
    page = _tight(
        client.post(
            "/espace/delegataires/deleguer/",
            {"number": alice.subscriber_number, "role": "AC", "codes": ["declarer_tva"]},
        ).content.decode()
    )
    message = ABOVE_THE_FIELDS.format("Vous ne pouvez pas vous désigner vous-même.")
    assert _between(page, '<form method="post" novalidate', message, 'name="number"')
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED,
        actor=alice,
        details__reason="Vous ne pouvez pas vous désigner vous-même.",
    ).exists()


def test_renouncing_as_titular_is_refused_with_a_page_message(client, company, alice):
    titular = grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    client.force_login(alice)
    prove_fresh_factor(client)
    page = client.post(f"/espace/habilitations/{titular.pk}/renoncer/", follow=True)
    assert page.redirect_chain[-1][0] == "/espace/habilitations/"
    text = (
        "administrateur titulaire ne peut renoncer à son rôle : un autre abonné peut le "
        "remplacer par une substitution."
    )
    # A page message: an error alert above the page's title.
    assert _between(page.content.decode(), "fr-alert--error", text, "<h1>")
    assert Habilitation.objects.filter(pk=titular.pk).exists()


def test_a_refused_delegation_action_is_a_403(client, company, alice, bob, carol):
    grant(company, alice, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)
    designate(alice, company, bob, [Designation("declarer_tva", Role.DELEGATING_ACTOR)])
    (theirs,) = designate(alice, company, carol, [Designation("declarer_tva", Role.ACTOR)])
    client.force_login(bob)
    prove_fresh_factor(client)
    url = f"/espace/dossiers/{company.identifier}/delegations/{theirs.pk}/"
    assert client.post(url, {"action": "revoke"}).status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED,
        actor=bob,
        details__reason="Vos habilitations ne vous permettent pas de gérer ce droit.",
    ).exists()
