"""The company's side of the secure messaging through its pages (docs/messaging.md)."""

import pytest

from accounts.space_access import freeze as freeze_space
from audit.models import Action, AuditEvent
from companies.freezing import freeze as freeze_company
from habilitations.models import Habilitation, Role, State
from habilitations.rights.actions import set_state
from messaging import actions, agent_actions
from messaging.models import Attachment, Thread, ThreadState
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, agent, bordeaux_company, holder, png, upload
from tests.factories import HabilitationFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _url(company, rest=""):
    return f"/espace/dossiers/{company.identifier}/messagerie/{rest}"


def _thread(person, company, body="Bonjour,\nvoici ma question.", files=()):
    return actions.start_thread(person, company, Motif.DECLARATION, "TVA de mars", body, files)


def _answered(person, company, files=()):
    thread = _thread(person, company)
    agent_actions.answer(agent(), thread, "Voici notre réponse.", files)
    return thread


def _write(client, company, **data):
    return client.post(
        _url(company, "ecrire/"),
        {"motif": Motif.PAYMENT, "subject": "Échéance", "body": "Bonjour", **data},
    )


def test_a_holder_writes_and_reads_the_conversation(client):
    company = bordeaux_company()
    person = holder(company, Role.ACTOR)
    client.force_login(person)
    page = client.get(_url(company)).content.decode()
    assert "Aucune conversation" in page
    response = _write(client, company, files=[upload("relevé.pdf", PDF)])
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(company, f"{thread.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Votre message a été envoyé." in page
    assert "Vous / votre entreprise" in page
    assert "Acteur" in page
    assert "Télécharger relevé.pdf" in page
    listing = client.get(_url(company)).content.decode()
    assert "Échéance" in listing and "Question sur un paiement" in listing and "Nouveau" in listing


def test_the_messagerie_menu_leads_to_the_messaging(client):
    company = bordeaux_company()
    client.force_login(holder(company))
    page = client.get(f"/espace/dossiers/{company.identifier}/").content.decode()
    assert f'href="{_url(company)}"' in page
    old = client.get(f"/espace/dossiers/{company.identifier}/services/messagerie/")
    assert old.status_code == 302 and old["Location"] == _url(company)


def test_html_in_a_message_is_shown_escaped_with_its_line_breaks(client):
    company = bordeaux_company()
    person = holder(company)
    thread = _thread(person, company, body="<script>alert(1)</script>\n<b>gras</b>")
    client.force_login(person)
    page = client.get(_url(company, f"{thread.pk}/")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;gras&lt;/b&gt;" in page


def test_someone_without_messagerie_is_refused_everywhere_and_audited(client):
    company = bordeaux_company()
    thread = _thread(holder(company), company, files=[upload("a.pdf", PDF)])
    attachment = Attachment.objects.get()
    other = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=other, code="declarer_tva")
    client.force_login(other)
    for url in (
        _url(company),
        _url(company, "ecrire/"),
        _url(company, f"{thread.pk}/"),
        _url(company, f"{thread.pk}/clore/"),
        _url(company, f"{thread.pk}/pieces-jointes/{attachment.pk}/"),
    ):
        assert client.get(url).status_code == 403, url
    assert _write(client, company).status_code == 403
    assert Thread.objects.count() == 1
    assert AuditEvent.objects.filter(
        action=Action.ACCESS_REFUSED, details__reason="messaging.forbidden"
    ).exists()


@pytest.mark.parametrize("cut", ["suspension", "company_frozen", "space_frozen"])
def test_a_suspension_or_a_freeze_refuses_the_next_request(client, cut):
    company = bordeaux_company()
    person = holder(company, Role.ACTOR)
    thread = _thread(person, company, files=[upload("a.pdf", PDF)])
    attachment = Attachment.objects.get()
    file_url = _url(company, f"{thread.pk}/pieces-jointes/{attachment.pk}/")
    client.force_login(person)
    assert client.get(_url(company, f"{thread.pk}/")).status_code == 200
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # read to its end: closed
    if cut == "suspension":
        set_state(Habilitation.objects.get(subscriber=person), State.SUSPENDED)
    elif cut == "company_frozen":
        freeze_company(company)
    else:
        freeze_space(person)
    for url in (_url(company), _url(company, f"{thread.pk}/"), file_url):
        response = client.get(url)
        if cut == "space_frozen":  # the freeze ended the space's sessions: back to the login
            assert response.status_code == 302 and response["Location"].startswith("/?"), url
        else:
            assert response.status_code == 403, url


def test_the_download_streams_the_file_with_safe_headers(client):
    company = bordeaux_company()
    person = holder(company)
    thread = _thread(person, company, files=[upload("Relevé de mars.pdf", PDF)])
    attachment = Attachment.objects.get()
    client.force_login(person)
    response = client.get(_url(company, f"{thread.pk}/pieces-jointes/{attachment.pk}/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Relev_ de mars.pdf\"; filename*=UTF-8''Relev%C3%A9%20de%20mars.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # Another company's attachment is not found through this dossier.
    other = bordeaux_company()
    HabilitationFactory(company=other, subscriber=person, code="messagerie")
    url = _url(other, f"{thread.pk}/pieces-jointes/{attachment.pk}/")
    assert client.get(url).status_code == 404


def test_a_spoofed_pdf_is_refused_next_to_the_field_the_text_kept_nothing_stored(
    client, attachments_dir
):
    company = bordeaux_company()
    client.force_login(holder(company))
    response = _write(
        client,
        company,
        subject="Mon objet <gardé>",
        body="Mon texte\ngardé",
        files=[upload("facture.pdf", png())],
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_files-desc-error"' in page
    assert "Le contenu du fichier « facture.pdf » ne correspond pas à son extension" in page
    assert 'value="Mon objet &lt;gardé&gt;"' in page
    assert "Mon texte\ngardé</textarea>" in page
    assert "choisissez-les de nouveau avant d'envoyer" in page
    assert not Thread.objects.exists() and not Attachment.objects.exists()
    assert not attachments_dir.exists() or not any(attachments_dir.rglob("*.*"))


def test_a_missing_subject_and_body_are_told_in_french(client):
    company = bordeaux_company()
    client.force_login(holder(company))
    page = _write(client, company, subject="", body="").content.decode()
    assert "Saisissez l&#x27;objet de votre message." in page
    assert not Thread.objects.exists()


def test_an_11_mb_file_is_refused_before_being_read_whole(client, settings):
    company = bordeaux_company()
    client.force_login(holder(company))
    big = PDF + b"0" * (11 * 1024 * 1024)
    page = _write(client, company, files=[upload("gros.pdf", big)]).content.decode()
    assert "Le fichier « gros.pdf » dépasse la taille maximale de 10 Mo." in page
    assert not Thread.objects.exists()


def test_six_files_are_refused_with_the_limit(client):
    company = bordeaux_company()
    client.force_login(holder(company))
    files = [upload(f"p{n}.pdf", PDF) for n in range(6)]
    page = _write(client, company, files=files).content.decode()
    assert "Joignez au plus 5 fichiers à un message." in page
    assert not Thread.objects.exists()


def test_a_reply_and_closing_with_confirmation(client):
    company = bordeaux_company()
    person = holder(company)
    thread = _answered(person, company)
    client.force_login(person)
    response = client.post(_url(company, f"{thread.pk}/"), {"body": "Merci !"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.messages.count() == 3 and thread.state == ThreadState.ASSIGNED
    confirm = client.get(_url(company, f"{thread.pk}/clore/")).content.decode()
    assert "Confirmer : clore la conversation" in confirm
    thread.refresh_from_db()
    assert thread.state != ThreadState.CLOSED  # the confirmation page closes nothing
    client.post(_url(company, f"{thread.pk}/clore/"))
    thread.refresh_from_db()
    assert thread.state == ThreadState.CLOSED
    page = client.get(_url(company, f"{thread.pk}/")).content.decode()
    assert "La conversation est close." in page and 'id="reopen-notice"' in page


def test_unread_counts_in_the_menu_the_list_and_on_the_home_page(client):
    company = bordeaux_company(name="SARL LECTURE")
    person = holder(company)
    thread = _answered(person, company, files=[upload("reponse.png", png())])
    client.force_login(person)
    home = client.get("/espace/").content.decode()
    assert "Messages non lus : 1 dossier" in home
    unread = client.get("/espace/messagerie/non-lus/").content.decode()
    assert f'href="{_url(company)}"' in unread and "SARL LECTURE" in unread
    listing = client.get(_url(company)).content.decode()
    assert "1 conversation non lue" in listing and "Non lu" in listing
    page = client.get(_url(company, f"{thread.pk}/")).content.decode()
    assert "Administration (Service des impôts des entreprises de Bordeaux)" in page
    assert "Télécharger reponse.png" in page
    assert "Messages non lus" not in client.get("/espace/").content.decode()
    assert "conversation non lue" not in client.get(_url(company)).content.decode()


def test_the_email_opt_out_toggle(client):
    person = SubscriberFactory()
    client.force_login(person)
    page = client.get("/espace/coordonnees/").content.decode()
    assert "Recevoir un courriel quand l'administration vous répond" in page
    assert 'id="messaging-emails" aria-describedby="messaging-emails-hint" checked' in page
    response = client.post("/espace/coordonnees/courriels-messagerie/", {}, follow=True)
    page = response.content.decode()
    assert "Vous ne recevrez plus de courriel" in page
    assert 'aria-describedby="messaging-emails-hint" checked' not in page
    client.post("/espace/coordonnees/courriels-messagerie/", {"receive": "on"})
    assert AuditEvent.objects.filter(action=Action.MESSAGING_EMAILS_CHANGED).count() == 2


def test_the_email_setting_needs_csrf(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(SubscriberFactory())
    assert csrf_client.post("/espace/coordonnees/courriels-messagerie/", {}).status_code == 403


def test_the_upload_handler_keeps_no_more_than_the_limit_of_a_large_file(client, monkeypatch):
    """The site's upload handler lets a message's files through, each kept up to its limit and
    one byte, its whole size counted: the domain refuses it from that size."""
    seen = []

    def start_thread(subscriber, company, motif, subject, body, files):
        for upload_ in files:
            upload_.file.seek(0, 2)
            seen.append((upload_.size, upload_.file.tell()))
        raise actions.Refusal("messaging.file_too_large", field="files", name="x", max_mb=10)

    monkeypatch.setattr("web.messaging.views.actions.start_thread", start_thread)
    company = bordeaux_company()
    client.force_login(holder(company))
    size = 11 * 1024 * 1024
    _write(client, company, files=[upload("gros.pdf", PDF + b"0" * (size - len(PDF)))])
    assert seen == [(size, 10 * 1024 * 1024 + 1)]


def test_the_home_page_counts_unread_dossiers_in_one_query_whatever_their_number(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = SubscriberFactory()
    counts, unread = [], 0
    for dossiers in (1, 6):
        while unread < dossiers:
            unread += 1
            company = bordeaux_company()
            HabilitationFactory(company=company, subscriber=person, code="messagerie")
            _answered(person, company)  # unread
            other = bordeaux_company()
            HabilitationFactory(company=other, subscriber=person, code="messagerie")
            _thread(person, other)  # nothing to read
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/espace/").content.decode()
        assert f"Messages non lus : {dossiers} dossier" in page
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(counts[1]):
        client.get("/espace/")


def test_the_thread_list_is_one_query_whatever_the_threads(client):
    """« Page x sur y » comes with the rows (a window count), not from a second COUNT(*): the
    list reads the threads in ONE query (the other reading of the threads is the bar's unread
    count, on every page of a dossier), with 3 threads or 45, on any page (issue 23)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    company = bordeaux_company()
    person = holder(company)
    client.force_login(person)

    def queries_of(path):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).content.decode()
        threads = [q for q in queries if 'FROM "messaging_thread"' in q["sql"]]
        return len(queries), len(threads), page

    client.get(_url(company))  # the first visit makes the dossier current (writes)
    seen = []
    for total in (3, 45):
        while Thread.objects.count() < total:
            _thread(person, company)
        count, reading_threads, page = queries_of(_url(company))
        assert reading_threads == 2
        seen.append(count)
    count, reading_threads, page = queries_of(_url(company) + "?page=3")
    assert "Page 3 sur 3" in page and reading_threads == 2
    assert seen == [count, count], (seen, count)
    # A stale link past the last page shows the last page.
    assert "Page 3 sur 3" in client.get(_url(company) + "?page=9").content.decode()
