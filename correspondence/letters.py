"""All postal letters go through `send_letter`: a named pair of templates, rendered to a PDF
addressed to the company's fiscal address, and recorded in the outbox
(docs/correspondence.md §1)."""

import os
import secrets
import shutil
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from core import clock
from core.dates import short_date
from core.pdf import new_document
from correspondence.models import Kind, Message, letters_storage
from correspondence.safety import one_line_context, strip_invisible

# Outside development the letter's code is not kept in clear in the outbox: only the PDF,
# which is what goes to the post, carries it (codes are otherwise kept only as hashes), and
# only until it is handed to the print-and-post step (`post_letter`).
MASK = "[masqué]"
SENDER = (
    "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
    "Espace professionnel — services en ligne",
)


def render_letter(template_prefix: str, context: dict) -> tuple[str, str]:
    # Letters are plain text too (the "text" engine escapes nothing); what people typed is
    # kept on one line, without invisible characters (docs/correspondence.md §5).
    context = one_line_context(context)
    subject = render_to_string(
        f"correspondence/letter/{template_prefix}_subject.txt", context, using="text"
    )
    body = render_to_string(
        f"correspondence/letter/{template_prefix}_body.txt", context, using="text"
    )
    return " ".join(strip_invisible(subject).split()), strip_invisible(body).strip() + "\n"


def send_letter(template_prefix: str, company, context: dict) -> Message:
    """Render a letter to `company`'s fiscal address as a PDF in the letters' storage
    (STORAGES["letters"]: LETTERS_DIR by default) and record it with the PDF's name there.

    A line of the body equal to `context["code"]` is set apart in the PDF, as the code is
    what the reader looks for.
    """
    context = {"company": company, **context}
    subject, body = render_letter(template_prefix, context)
    kept = body
    if not settings.OUTBOX_ENABLED and context.get("code"):
        kept = render_letter(template_prefix, {**context, "code": MASK})[1]
    sent_at = clock.now()
    address = company.fiscal_address
    name = f"{sent_at:%Y%m%d-%H%M%S}-{company.identifier}-{template_prefix}-{secrets.token_hex(4)}"
    code = context.get("code", "")
    pdf = letter_pdf(company.name, address, subject, body, sent_at, emphasize=code)
    # The storage may choose another name (if this one were taken): the one it returns is kept.
    name = letters_storage().save(f"{name}.pdf", ContentFile(pdf))
    return Message.objects.create(
        kind=Kind.LETTER,
        purpose=template_prefix,
        to=company.name,
        subject=subject,
        body=kept,
        sent_at=sent_at,
        siren=company.identifier,
        address=address,
        pdf=name,
    )


def post_letter(message: Message, destination: Path) -> Path:
    """Hand a letter to the print-and-post step: its PDF is copied from the letters' storage
    into `destination` (the printer's drop folder, a local folder); then, outside development,
    a copy with the code masked replaces it in the storage (docs/correspondence.md §3.4).

    The PDF with the code is never overwritten: the masked copy is written beside it under
    its own name, the letter is pointed at it, and only then is the original removed. So a
    run interrupted half-way, or two runs at once, can copy the original again but never put
    a masked letter in the printer's folder."""
    storage = letters_storage()
    source = message.pdf
    filename = PurePosixPath(source).name
    handed = destination / filename
    # Whole or not at all in the drop folder: written aside, then renamed.
    partial = destination / f".{filename}.part"
    with message.open_pdf() as original, open(partial, "wb") as copy:
        shutil.copyfileobj(original, copy)
    os.replace(partial, handed)
    kept = source
    if not settings.OUTBOX_ENABLED:
        masked = str(PurePosixPath(source).with_name(f"{PurePosixPath(source).stem}-posted.pdf"))
        # Left by a run interrupted before it pointed the letter at it: replaced, not doubled.
        if storage.exists(masked):
            storage.delete(masked)
        kept = storage.save(
            masked,
            ContentFile(
                letter_pdf(
                    message.to,
                    message.address,
                    message.subject,
                    message.body,
                    message.sent_at,
                    emphasize=MASK,
                )
            ),
        )
    Message.objects.filter(pk=message.pk, delivered_at=None).update(
        delivered_at=clock.now(), pdf=kept
    )
    if kept != source:
        storage.delete(source)
    return handed


def letters_to_post():
    """The letters not handed to the print-and-post step yet, oldest first."""
    return Message.objects.filter(kind=Kind.LETTER, delivered_at=None).order_by("sent_at", "id")


def letter_pdf(
    addressee: str, address: str, subject: str, body: str, sent_at, *, emphasize: str = ""
) -> bytes:
    pdf = new_document(left=20, top=18, right=20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(subject)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 9)
    for line in SENDER:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    # The addressee's block, where a window envelope shows it.
    pdf.set_xy(110, 45)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(80, 6, addressee, new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(80, 6, address or "(adresse fiscale inconnue)", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(110, 80)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(80, 6, f"Le {short_date(sent_at)}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(95)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, f"Objet : {subject}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in body.splitlines():
        if emphasize and line.strip() == emphasize:
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 16)
            pdf.cell(0, 12, emphasize, border=1, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        else:
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
