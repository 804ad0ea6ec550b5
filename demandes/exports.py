"""Exports of demandes for the LINF: XML (schema in demandes/schema/demandes.xsd), streamed, and PDF."""

from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone
from lxml import etree

NAMESPACE = "urn:monenfant:demandes:1"
XSD_PATH = Path(__file__).parent / "schema" / "demandes.xsd"
CHUNK = 500


def _iso(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _element(demande) -> etree._Element:
    n = f"{{{NAMESPACE}}}"
    root = etree.Element(n + "demande", reference=demande.reference, statut=demande.statut, envoyee_le=_iso(demande.cree_le))
    if demande.traitee_le:
        root.set("traitee_le", _iso(demande.traitee_le))
    etree.SubElement(root, n + "commune", code_insee=demande.commune_id).text = demande.commune.nom
    famille = etree.SubElement(root, n + "famille", qualite=demande.qualite, allocataire=str(demande.allocataire).lower())
    if demande.numero_allocataire:
        famille.set("numero_allocataire", demande.numero_allocataire)
    famille.set("situation", demande.situation)
    enfants = etree.SubElement(root, n + "enfants")
    for enfant in demande.enfants.all():
        attrs = {"date_naissance": enfant.date_naissance.isoformat()} if enfant.date_naissance else {
            "date_prevue": enfant.date_prevue.isoformat()}
        etree.SubElement(enfants, n + "enfant", **attrs)
    etree.SubElement(
        root, n + "besoin", type=demande.besoin, a_partir_du=demande.a_partir_du.isoformat(),
        horaires_atypiques=str(demande.horaires_atypiques).lower(), handicap=str(demande.handicap).lower(),
    ).text = demande.jours_horaires
    contact = etree.SubElement(root, n + "contact", prenom=demande.prenom, nom=demande.nom, email=demande.email,
                               moyen_prefere=demande.moyen_prefere)
    if demande.telephone:
        contact.set("telephone", demande.telephone)
    if demande.moment_prefere:
        contact.set("moment_prefere", demande.moment_prefere)
    if demande.message:
        etree.SubElement(root, n + "message").text = demande.message
    return root


def stream_xml(queryset) -> Iterator[bytes]:
    """One demande at a time, so that 10,000 demandes never sit in memory together."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<demandes xmlns="{NAMESPACE}" genere_le="{_iso(timezone.now())}">\n'.encode()
    for demande in queryset.select_related("commune").prefetch_related("enfants").iterator(chunk_size=CHUNK):
        # The namespace is declared once on the root: drop the per-element declaration.
        element = _element(demande)
        etree.cleanup_namespaces(element)
        yield etree.tostring(element, encoding="utf-8").replace(f' xmlns="{NAMESPACE}"'.encode(), b"", 1) + b"\n"
    yield b"</demandes>\n"


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))
