"""Convention and avenant as PDF (WeasyPrint), in the DSFR look with the Marianne fonts."""

from pathlib import Path

import dsfr
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

FONTS = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"
DUREE_CONSERVATION_MOIS = 6


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "fonts": FONTS.as_uri(), "genere_le": timezone.localtime()})
    return HTML(string=html, base_url=str(FONTS)).write_pdf()
