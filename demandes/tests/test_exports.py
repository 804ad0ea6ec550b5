"""Exports for the LINF: XML valid against the schema of the repository, PDF, both logged and scoped."""

import datetime

import pytest
from django.utils import timezone
from lxml import etree

from demandes.exports import schema
from demandes.models import AccesDemande, Demande, Enfant
from demandes.tests.conftest import open_linf
from habilitations.tests.fixtures import pdf_text
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]


def make_demandes(linf, commune, count, **fields):
    now = timezone.now()
    start = Demande.objects.count()
    demandes = Demande.objects.bulk_create([
        Demande(**{
            "reference": f"DI-{start + i:08X}", "commune": commune, "qualite": "parent", "besoin": "creche",
            "a_partir_du": datetime.date(2027, 1, 4), "prenom": "Léa", "nom": f"Famille <{i}> & co",
            "email": f"f{i}@example.fr", "message": "Question : « horaires ? »" if i % 2 else "",
            "consentement_le": now, **fields,
        }) for i in range(count)
    ])
    Enfant.objects.bulk_create([Enfant(demande=d, date_naissance=datetime.date(2025, 3, 1)) for d in demandes])
    for d in demandes:
        d.linfs.add(linf)
    return demandes


def export(client, references, fmt):
    return client.post("/pro/demandes/export/", {"references": references, "format": fmt})


def test_xml_export_is_valid_streamed_and_logged(client, velay):
    mine = make_demandes(velay["linf"], velay["le_puy"], 300)
    other_linf, _ = open_linf("PIF de Brioude", CommuneFactory(code_insee="43040"), person_email="autre@pif.example.fr")
    theirs = Demande.objects.create(
        reference="DI-FFFFFFFF", commune_id="43040", qualite="parent", besoin="assmat", a_partir_du=datetime.date(2027, 1, 4),
        prenom="X", nom="Y", email="y@example.fr", consentement_le=timezone.now(),
    )
    theirs.linfs.add(other_linf)
    client.force_login(velay["person"])
    response = export(client, [d.reference for d in mine] + [theirs.reference], "xml")
    assert response.streaming
    document = etree.fromstring(b"".join(response.streaming_content))
    schema().assertValid(document)
    references = document.xpath("//d:demande/@reference", namespaces={"d": "urn:monenfant:demandes:1"})
    assert len(references) == 300 and theirs.reference not in references
    assert "Famille <7> & co" in document.xpath("string(//d:demande[@reference='DI-00000007']/d:contact/@nom)",
                                                  namespaces={"d": "urn:monenfant:demandes:1"})
    assert AccesDemande.objects.filter(action="export_xml", user=velay["person"]).count() == 300
    assert not AccesDemande.objects.filter(demande=theirs).exists()


@pytest.mark.pdf
def test_pdf_export_of_the_selection(client, velay):
    first, second, _ = make_demandes(velay["linf"], velay["le_puy"], 3)
    client.force_login(velay["person"])
    response = export(client, [first.reference, second.reference], "pdf")
    text = pdf_text(type("Doc", (), {"pdf": response.content}))
    assert first.reference in text and second.reference in text and "DI-00000002" not in text
    assert AccesDemande.objects.filter(action="export_pdf").count() == 2


def test_nothing_selected_or_nothing_visible_exports_nothing(client, velay):
    make_demandes(velay["linf"], velay["le_puy"], 1)
    client.force_login(velay["person"])
    assert export(client, [], "xml").status_code == 302
    _, stranger = open_linf("PIF de Brioude", CommuneFactory(code_insee="43040"), person_email="autre@pif.example.fr")
    client.force_login(stranger)
    assert export(client, ["DI-00000000"], "xml").status_code == 302
    assert not AccesDemande.objects.exists()


def test_exporting_is_retrieving_each_new_demande_becomes_traitee_with_one_accuse(client, velay):
    """The LINF guide: retrieved demandes (ticked, exported) are traitées and the family gets its accusé, once."""
    from notifications.models import Notification

    deja = make_demandes(velay["linf"], velay["le_puy"], 1)[0]
    client.force_login(velay["person"])
    client.post(f"/pro/demandes/{deja.reference}/ouvrir/")
    nouvelles = make_demandes(velay["linf"], velay["le_puy"], 3)
    Notification.objects.all().delete()
    references = [deja.reference, *(d.reference for d in nouvelles)]
    export(client, references, "xml")
    for demande in Demande.objects.filter(pk__in=[d.pk for d in nouvelles]):
        assert demande.statut == "traitee" and demande.traitee_par == velay["person"]
        assert [(t.depuis, t.vers) for t in demande.transitions.all()] == [("nouvelle", "traitee")]
    accuses = Notification.objects.filter(sujet__contains="est prise en charge")
    assert sorted(n.destinataires for n in accuses) == sorted(d.email for d in nouvelles), "one accusé each, none for the opened one"
    export(client, references, "pdf")  # retrieved again: nothing new for the families
    assert Notification.objects.filter(sujet__contains="est prise en charge").count() == 3
    assert all(n.objet.startswith("demande:DI-") for n in accuses)
