"""Importing partners' lists, as CAF agents and MAM managers do it (issue 19): here rather than in structures/tests,
since it logs in people of the habilitations app, which structures does not know."""

import html
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import give_second_factor
from structures.enums import Rubrique, StatutImport
from structures.models import ImportFiches, Structure
from structures.tests.factories import CommuneFactory, DepartementFactory, StructureFactory
from structures.tests.test_collecte import CORRESPONDANCE, FICHIER

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


# The back office -------------------------------------------------------------------------------------------------

def agent(client, code):
    personne = make_person(Role.CAF_AGENT, caf_code=code, email=f"agent{code}@caf{code}.example.fr")
    client.force_login(personne)
    give_second_factor(client, personne)
    return personne


def test_a_caf_agent_uploads_simulates_confirms_and_reads_the_report_another_caf_sees_nothing(
        haute_loire, client, django_capture_on_commit_callbacks):
    DepartementFactory(code="64", nom="Pyrénées-Atlantiques", type_liaison=4)
    agent(client, "43")
    page = client.get(reverse("admin:structures_structure_changelist"))
    assert reverse("admin:structures_importfiches_add") in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:structures_importfiches_add"), {
            "fichier": _fichier(FICHIER.name, FICHIER.read_bytes()),
            "correspondance": _fichier("correspondance.json", json.dumps(CORRESPONDANCE).encode()),
        })
    import_fiches = ImportFiches.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:structures_importfiches_change", args=[import_fiches.pk])
    page = html.unescape(client.get(response.url).content.decode())
    assert "Simulée, à confirmer" in page and "Confirmer l'import" in page
    assert "Bourg-en-Bresse est dans le département 01, hors du territoire de cet import (43)." in page
    assert not Structure.objects.filter(source="cd43-accueil").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:structures_importfiches_confirmer", args=[import_fiches.pk]))
    import_fiches.refresh_from_db()
    assert import_fiches.statut == StatutImport.TERMINEE and import_fiches.resultats["creee"] == 16
    rapport = client.get(reverse("admin:structures_importfiches_rapport", args=[import_fiches.pk]))
    assert rapport["Content-Type"] == "text/csv; charset=utf-8"
    assert "12;Rejetée;;Crèche Les Bambins;Rubrique « MAJ »" in rapport.content.decode("utf-8-sig")
    assert client.get(reverse("admin:structures_importfiches_avancement", args=[import_fiches.pk])).json()["en_cours"] is False
    # A second confirmation does nothing: the import no longer waits for one.
    client.post(reverse("admin:structures_importfiches_confirmer", args=[import_fiches.pk]))
    assert Structure.objects.filter(source="cd43-accueil").count() == 16

    agent(client, "64")
    assert reverse("admin:structures_importfiches_change", args=[import_fiches.pk]) not in \
        client.get(reverse("admin:structures_importfiches_changelist")).content.decode()
    for name in ("change", "rapport", "avancement"):
        assert client.get(reverse(f"admin:structures_importfiches_{name}", args=[import_fiches.pk])).status_code == 404
    assert client.post(reverse("admin:structures_importfiches_confirmer", args=[import_fiches.pk])).status_code == 404


def test_a_wrong_mapping_comes_back_as_a_form_error_nothing_recorded(haute_loire, client):
    agent(client, "43")
    response = client.post(reverse("admin:structures_importfiches_add"), {
        "fichier": _fichier(FICHIER.name, FICHIER.read_bytes()),
        "correspondance": _fichier("correspondance.json", b'{"source": "cd43"'),
    })
    assert response.status_code == 400
    assert "Le fichier de correspondance n'est pas un JSON valide" in html.unescape(response.content.decode())
    assert not ImportFiches.objects.exists()


def _fichier(nom, contenu):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nom, contenu)


# MAM -------------------------------------------------------------------------------------------------------------

def test_an_assistant_declares_their_mam_its_manager_confirms_and_the_mam_lists_them(haute_loire, client):
    le_puy = haute_loire["43157"]
    mam = StructureFactory(rubrique=Rubrique.MAM, nom="MAM Les Doudous", commune=le_puy)
    autre_mam = StructureFactory(rubrique=Rubrique.MAM, nom="MAM Les Galopins", commune=le_puy)
    mam_de_pau = StructureFactory(rubrique=Rubrique.MAM, nom="MAM de Pau", commune=CommuneFactory(code_insee="64445"))
    assistante = StructureFactory(rubrique=Rubrique.ASSMAT, nom="Camille Roux", commune=le_puy, capacite=4,
                                  consentement_publication_le=timezone.now())
    personne = make_person(Role.ASSMAT, structure=assistante)
    client.force_login(personne)
    give_second_factor(client, personne)
    form = client.get(reverse("pro:fiche", args=[assistante.pk])).content.decode()
    assert "MAM Les Doudous (Le Puy-en-Velay)" in html.unescape(form) and "MAM de Pau" not in form
    donnees = {"presentation": "", "telephone": "", "age_min_mois": "", "age_max_mois": "", "capacite": "4",
               "places_disponibles": "", "disponible_a_partir_du": "", "animaux": "", "langues": "", "pedagogie": ""}
    # A MAM of another département, typed into the form, is refused.
    assert client.post(reverse("pro:fiche", args=[assistante.pk]), {**donnees, "mam": mam_de_pau.pk}).status_code == 400
    assert client.post(reverse("pro:fiche", args=[assistante.pk]), {**donnees, "mam": mam.pk}).status_code == 302
    assistante.refresh_from_db()
    assert (assistante.mam, assistante.mam_confirmee_le) == (mam, None)
    assert "Camille Roux" not in client.get(reverse("structures:fiche", args=[mam.pk])).content.decode()

    gerant_autre = make_person(Role.GESTIONNAIRE, structure=autre_mam)
    client.force_login(gerant_autre)
    give_second_factor(client, gerant_autre)
    url = reverse("pro:assistant_mam", args=[autre_mam.pk, assistante.pk])
    assert client.post(url, {"decision": "confirmer"}).status_code == 404
    assert client.post(reverse("pro:assistant_mam", args=[mam.pk, assistante.pk]), {"decision": "confirmer"}).status_code == 404

    gerant = make_person(Role.GESTIONNAIRE, structure=mam)
    client.force_login(gerant)
    give_second_factor(client, gerant)
    assert "Camille Roux" in client.get(reverse("pro:fiche", args=[mam.pk])).content.decode()
    client.post(reverse("pro:assistant_mam", args=[mam.pk, assistante.pk]), {"decision": "confirmer"})
    assistante.refresh_from_db()
    assert assistante.mam_confirmee_le is not None
    page = client.get(reverse("structures:fiche", args=[mam.pk])).content.decode()
    assert "Camille Roux" in page
    assert "MAM Les Doudous" in client.get(reverse("structures:fiche", args=[assistante.pk])).content.decode()
    # Without their consent, an assistant maternel is on no public page, MAM or not.
    Structure.objects.filter(pk=assistante.pk).update(consentement_publication_le=None)
    assert "Camille Roux" not in client.get(reverse("structures:fiche", args=[mam.pk])).content.decode()
