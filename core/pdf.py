"""PDF documents: one set-up (A4, the shipped DejaVu Sans fonts, which carry € and every
accented letter that fpdf2's core fonts lack)."""

from pathlib import Path

from fpdf import FPDF

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def new_document(*, left: float = 18, top: float = 18, right: float = 18) -> FPDF:
    """An A4 document with the DejaVu fonts (regular and bold) and automatic page breaks."""
    pdf = FPDF(format="A4")
    pdf.set_margins(left, top, right)
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    return pdf
