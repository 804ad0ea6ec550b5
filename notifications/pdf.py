"""PDF rendering (WeasyPrint) of any template, in the DSFR look with the Marianne fonts."""

from pathlib import Path

import dsfr
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

FONTS = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"


def render_pdf(template: str, context: dict, *, accessible: bool = False) -> bytes:
    """`accessible`: a tagged PDF/UA-1 (structure, reading order, the template's <title> and lang), for
    documents handed to families, who may read them with a screen reader."""
    html = render_to_string(template, {**context, "fonts": FONTS.as_uri(), "genere_le": timezone.localtime()})
    document = HTML(string=html, base_url=str(FONTS))
    return document.write_pdf(pdf_variant="pdf/ua-1") if accessible else document.write_pdf()
