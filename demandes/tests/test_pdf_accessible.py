"""The demande's PDF handed to families (and exported by the LINF) is a tagged PDF/UA with a title and a language."""

import re
import subprocess
import zlib

import pytest

from demandes.tests.test_exports import export, make_demandes
from demandes.views import SUBMITTED_KEY
from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.pdf, pytest.mark.time_machine(JOUR_DES_TESTS)]


def inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated: the catalog sits in an object stream."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            pass  # an image or a font: nothing to read there
    return b"".join(parts)


def pdf_info(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["/usr/bin/pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout  # noqa: S603


def assert_accessible_pdf(pdf: bytes, title: str, tmp_path):
    info = pdf_info(pdf, tmp_path)
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M), info
    assert re.search(r"^Tagged:\s+yes$", info, re.M), "un PDF balisé"
    body = inflated(pdf)
    assert b"/StructTreeRoot" in body, "l'arbre de structure que lisent les lecteurs d'écran"
    assert b"/Lang (fr)" in body, "la langue du document"
    assert b'pdfuaid:part="1"' in body, "déclaré PDF/UA-1"


def test_the_familys_pdf_is_tagged_with_title_and_language(client, velay, tmp_path):
    [demande] = make_demandes(velay["linf"], velay["le_puy"], 1)
    session = client.session
    session[SUBMITTED_KEY] = [demande.reference]
    session.save()
    response = client.get(f"/demande-information/confirmation/{demande.reference}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert_accessible_pdf(response.content, f"Demande d'information {demande.reference}", tmp_path)


def test_the_linf_export_is_tagged_too(client, velay, tmp_path):
    first, second = make_demandes(velay["linf"], velay["le_puy"], 2)
    client.force_login(velay["person"])
    response = export(client, [first.reference, second.reference], "pdf")
    assert_accessible_pdf(response.content, "Demandes d'information", tmp_path)
