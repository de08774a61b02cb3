"""The recap of a space, as a PDF (docs/accounts.md §3): identity, number, e-mail, address, company,
trust question — never the password nor the trust answer."""

from django.conf import settings
from fpdf import FPDF

from accounts.models import Subscriber
from companies.identifiers import format_siren
from core.dates import short_date
from core.pdf import new_document


def _document() -> FPDF:
    pdf = new_document()
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf


def _section(pdf: FPDF, title: str, rows: list[tuple[str, str]]) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.set_fill_color(230, 230, 245)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT", fill=True)
    pdf.set_font("DejaVu", "", 10)
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(65, 7, label)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 7, value or "—", new_x="LMARGIN", new_y="NEXT")


def recap_pdf(subscriber: Subscriber) -> bytes:
    pdf = _document()
    pdf.set_title("Récapitulatif de votre espace professionnel")
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, settings.PRODUCT_NAME, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 8, "VOS COORDONNÉES — RÉCAPITULATIF", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        f"Inscription réalisée le {short_date(subscriber.registered_at)} sous le numéro "
        f"{subscriber.subscriber_number}. Ce numéro d'abonné vous est personnel et doit le rester.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _section(
        pdf,
        "Votre identité",
        [
            ("Civilité", subscriber.get_civility_display()),
            ("Nom", subscriber.last_name.upper()),
            ("Prénom", subscriber.first_name),
            ("N° d'abonné", subscriber.subscriber_number),
        ],
    )
    company = subscriber.company_identifier
    _section(
        pdf,
        "Votre entreprise d'appartenance",
        [
            ("Entreprise étrangère", "oui" if subscriber.foreign_company else "non"),
            (
                "S.I.R.E.N ou équivalent",
                company if subscriber.foreign_company else format_siren(company),
            ),
            ("Raison sociale", subscriber.company_name),
        ],
    )
    _section(
        pdf,
        "Contact",
        [
            ("Numéro de téléphone", subscriber.phone),
            ("Adresse électronique", subscriber.email),
            ("Adresse", "\n".join(subscriber.address_lines)),
        ],
    )
    _section(
        pdf,
        "Question de confiance",
        [
            ("Question", subscriber.get_trust_question_display()),
            ("Réponse", "(non reproduite : vous seul la connaissez)"),
        ],
    )
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        "Conservez ce document : il vous sera utile lors d'opérations particulières (oubli du mot "
        "de passe par exemple). Il est aussi disponible à tout moment depuis votre espace, "
        "rubrique « Gérer vos coordonnées ».",
    )
    return bytes(pdf.output())
