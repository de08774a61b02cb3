"""*Demander une délégation* for a list of companies: a CSV file uploaded or its content pasted
(docs/habilitations.md §12.1, web/identifier_lists.py)."""

import html
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from habilitations.models import DelegationRequest
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from web.tests.test_identifier_lists import CRAFTED

pytestmark = pytest.mark.django_db

ASK = "/espace/demandes-delegation/nouvelle/"
LIMITS = "au plus 100 Ko et 1\u00a0000 lignes"  # a non-breaking space in 1 000


@pytest.fixture
def firm():
    return SubscriberFactory(company_name="CABINET COMPTA", company_identifier="732829320")


def _client_of(admin, **kwargs):
    company = CompanyFactory(**kwargs)
    HabilitationFactory(company=company, subscriber=admin, code="declarer_tva")
    return company


def _csv(content: bytes, name: str = "clients.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _errors(response, field: str) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.mark.parametrize("text", CRAFTED)
@pytest.mark.parametrize("how", ["pasted", "uploaded"])
def test_the_list_that_stalled_the_site_is_answered_at_once(client, firm, text, how):
    """Issue 21: 39 kB of `;"` kept a worker 27 s in `csv.Sniffer`, before any limit."""
    client.force_login(firm)
    if how == "pasted":
        data, field = {"identifiers": text}, "identifiers"
    else:
        data, field = {"identifiers_file": _csv(text.encode())}, "identifiers_file"
    client.get(ASK)  # the first page of a process loads templates: not what is measured
    started = time.perf_counter()
    response = client.post(ASK, {**data, "level_declarer_tva": "AC"})
    elapsed = time.perf_counter() - started
    assert elapsed < 1, f"{elapsed:.2f} s"
    assert response.status_code == 200
    assert _errors(response, field) == "La liste ne contient aucun SIREN."
    assert (response.context["form"]["identifiers"].value() or "") == (
        text if how == "pasted" else ""
    )


def test_a_csv_file_is_previewed_then_confirmed_without_being_sent_again(client, firm, alice):
    """A spreadsheet's CSV export (Windows encoding, `;`, a header): the preview shows the
    companies and the refused lines by their number in the file; its content is carried by
    the text area, so the confirmation needs no file."""
    alpha = _client_of(alice, name="ALPHA BOIS")
    beta = _client_of(alice, name="BÊTA FER")
    content = (
        f"Numéro SIREN;Dénomination\n{alpha.identifier};Alpha\n123456789;Inconnue\n"
        f"{beta.identifier};Bêta, fils\n"
    ).encode("cp1252")
    client.force_login(firm)
    response = client.post(ASK, {"identifiers_file": _csv(content), "level_declarer_tva": "AC"})
    page = html.unescape(response.content.decode())
    assert "2 entreprises recevront votre demande" in page
    assert "Ligne 3 (123456789) : Numéro SIREN invalide" in page
    assert "Le contenu de votre fichier est repris dans la zone de texte ci-dessus" in page
    carried = response.context["form"]["identifiers"].value()
    assert carried.splitlines()[0] == "Numéro SIREN;Dénomination"
    assert not DelegationRequest.objects.exists()
    done = client.post(
        ASK, {"identifiers": carried, "level_declarer_tva": "AC", "confirm": "1"}, follow=True
    )
    assert "2 demandes de délégation envoyées." in done.content.decode()
    assert {r.company_id for r in DelegationRequest.objects.all()} == {alpha.pk, beta.pk}


def test_a_file_chosen_replaces_the_text_already_there(client, firm, alice):
    alpha, beta = _client_of(alice), _client_of(alice)
    client.force_login(firm)
    response = client.post(
        ASK,
        {
            "identifiers": alpha.identifier,
            "identifiers_file": _csv(f"{beta.identifier}\n".encode()),
            "level_declarer_tva": "AC",
        },
    )
    assert [company for company, _ in response.context["plan"].asked] == [beta]


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (
            b"732829320;x\n" * 9000,
            f"Ce fichier est trop volumineux : {LIMITS} (il en fait 106 Ko).",
        ),
        (b"PK\x03\x04" + b"\x00" * 200, "Ce fichier est un classeur (Excel, LibreOffice)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Ce fichier n'est pas un fichier texte"),
        (b"", "Le fichier soumis est vide."),
    ],
)
def test_a_file_refused_is_told_next_to_the_file_field(client, firm, content, told):
    client.force_login(firm)
    response = client.post(ASK, {"identifiers_file": _csv(content), "level_declarer_tva": "AC"})
    assert told in _errors(response, "identifiers_file")
    assert "plan" not in response.context
    page = html.unescape(response.content.decode())
    assert '<div id="id_identifiers_file-desc-error">' in page and told in page


def test_a_pasted_list_past_the_limits_is_refused_next_to_the_text_area(client, firm, settings):
    client.force_login(firm)
    response = client.post(ASK, {"identifiers": "732829320;x\n" * 9000, "level_declarer_tva": "AC"})
    assert f"La liste est trop longue : {LIMITS} (elle en fait 106 Ko)." in _errors(
        response, "identifiers"
    )
    response = client.post(ASK, {"identifiers": "732829320\n" * 1001, "level_declarer_tva": "AC"})
    assert "La liste compte 1\u00a0001 lignes" in _errors(response, "identifiers")


def test_the_page_states_the_format_and_the_limits(client, firm):
    client.force_login(firm)
    page = html.unescape(client.get(ASK).content.decode())
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="identifiers_file"' in page
    assert f"Fichier .csv ou .txt, {LIMITS}." in page
    assert "le premier point-virgule, virgule ou tabulation de la première ligne" in page


def test_a_body_past_the_form_and_file_limits_is_refused_before_it_is_read(client, firm):
    client.force_login(firm)
    big = _csv(b"x" * (2_621_440 + 100 * 1024 + 1))
    assert client.post(ASK, {"identifiers_file": big}).status_code == 400
