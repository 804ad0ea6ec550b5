"""The directory as open data (issue 20): three files, no assistant maternel, a page that describes them."""

import csv
import datetime
import io
import json

import pytest
from data_inclusion.schema.v1.structures import Structure as StructureDataInclusion
from django.core.management import call_command
from django.utils import timezone

from structures import donnees_ouvertes
from structures.enums import Jour, Rubrique
from structures.tests.factories import CommuneFactory, HoraireFactory, OrganismeFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


@pytest.fixture
def annuaire(settings, tmp_path):
    settings.DONNEES_OUVERTES_DIR = tmp_path / "donnees"
    le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
    creche = StructureFactory(creche=True, commune=le_puy, nom="Multi-accueil Les Petits Loups", capacite=40,
                              organisme=OrganismeFactory(nom="Ville du Puy-en-Velay"), telephone="04 71 02 03 04",
                              email="petitsloups@lepuy.fr", siret="21430157300011")
    for jour in (Jour.LUNDI, Jour.MARDI, Jour.MERCREDI, Jour.JEUDI, Jour.VENDREDI):
        HoraireFactory(structure=creche, jour=jour, ouverture=datetime.time(7, 30), fermeture=datetime.time(18, 30))
    HoraireFactory(structure=creche, jour=Jour.SAMEDI, ouverture=datetime.time(8), fermeture=datetime.time(12))
    dans = [creche, StructureFactory(avip=True, commune=pau, nom="Crèche AVIP de Pau"),
            StructureFactory(rubrique=Rubrique.MAM, commune=le_puy, nom="MAM Les Lutins"),
            StructureFactory(rubrique=Rubrique.RPE, commune=le_puy), StructureFactory(rubrique=Rubrique.LAEP, commune=pau),
            StructureFactory(rubrique=Rubrique.ALSH, commune=le_puy), StructureFactory(rubrique=Rubrique.LINF, commune=le_puy)]
    hors = [StructureFactory(commune=le_puy, nom="Assistante avec consentement"),
            StructureFactory(commune=le_puy, consentement_publication_le=None),
            StructureFactory(creche=True, fermee=True, commune=le_puy)]
    return {"dans": dans, "hors": hors, "creche": creche}


def lire(code: str) -> str:
    chemin = donnees_ouvertes.fichier_publie(code)
    return chemin.read_text(encoding="utf-8")


def test_the_three_files_hold_the_published_establishments_and_no_assistant_maternel(annuaire):
    publication = donnees_ouvertes.publier()
    attendus = sorted(s.pk for s in annuaire["dans"])
    assert publication["date"] == timezone.localdate().isoformat()
    assert {f["fiches"] for f in publication["fichiers"].values()} == {len(attendus)}

    lignes = list(csv.DictReader(io.StringIO(lire("csv"))))
    assert list(lignes[0]) == [c.nom for c in donnees_ouvertes.CHAMPS]  # the header the page documents
    assert [int(ligne["id"]) for ligne in lignes] == attendus
    assert Rubrique.ASSMAT not in {ligne["rubrique"] for ligne in lignes}
    creche = next(ligne for ligne in lignes if ligne["nom"] == "Multi-accueil Les Petits Loups")
    assert creche["horaires"] == "Mo-Fr 07:30-18:30; Sa 08:00-12:00"
    assert (creche["financement_psu"], creche["capacite"], creche["organisme"], creche["type_accueil_libelle"]) == (
        "true", "40", "Ville du Puy-en-Velay", "Crèche collective")
    assert creche["url"].endswith(f"/structures/{annuaire['creche'].pk}/")

    geojson = json.loads(lire("geojson"))
    assert geojson["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in geojson["features"]] == attendus
    for feature in geojson["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]) == {c.nom for c in donnees_ouvertes.CHAMPS} - {"latitude", "longitude"}

    structures = json.loads(lire("data-inclusion"))
    valides = [StructureDataInclusion.model_validate(s) for s in structures]  # raises on any invalid field
    assert [v.id for v in valides] == [f"monenfant--{pk}" for pk in attendus]
    avip = next(v for v in valides if v.nom == "Crèche AVIP de Pau")
    assert {r.value for r in avip.reseaux_porteurs} == {"creches-avip"}
    assert {ligne["nom"]: ligne["avip"] for ligne in lignes}["Crèche AVIP de Pau"] == "true"
    assert creche["avip"] == "false" and creche["avip_places"] == ""
    assert next(v for v in valides if v.nom == "Multi-accueil Les Petits Loups").horaires_accueil == (
        "Mo-Fr 07:30-18:30; Sa 08:00-12:00")


def test_a_name_longer_than_data_inclusion_allows_is_shortened_visibly(annuaire):
    annuaire["creche"].nom = "Crèche " + "très " * 30 + "longue."  # 164 characters: the field takes 200
    annuaire["creche"].save()
    donnees_ouvertes.publier(("data-inclusion",))
    structure = next(s for s in json.loads(lire("data-inclusion")) if s["id"] == f"monenfant--{annuaire['creche'].pk}")
    StructureDataInclusion.model_validate(structure)
    assert len(structure["nom"]) == 150 and structure["nom"].endswith("…")


def test_the_page_describes_each_field_and_links_the_latest_files_with_their_date(client, annuaire):
    page = client.get("/donnees/")
    assert page.status_code == 200
    assert "ne sont pas encore publiés" in page.content.decode()
    assert client.get("/donnees/annuaire.csv").status_code == 404
    assert client.get("/donnees/annuaire.xlsx").status_code == 404

    call_command("publier_donnees_ouvertes", stdout=io.StringIO())
    html = client.get("/donnees/").content.decode()
    for champ in donnees_ouvertes.CHAMPS:
        assert f"<code>{champ.nom}</code>" in html
    assert "Licence Ouverte 2.0" in html and "Les assistants maternels n'y figurent jamais" in html
    for url in ("/donnees/annuaire.csv", "/donnees/annuaire.geojson", "/donnees/annuaire.data-inclusion.json"):
        assert f'href="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200 and response.streaming
        contenu = b"".join(response.streaming_content)
        assert str(annuaire["creche"].pk).encode() in contenu
        assert f"annuaire-monenfant-{timezone.localdate().isoformat()}." in response["Content-Disposition"]
        response.close()
    assert response["Content-Type"] == "application/json"  # the data·inclusion file, last
    tete = client.head("/donnees/annuaire.csv")  # what a download tool asks first
    assert tete.status_code == 200 and int(tete["Content-Length"]) > 0
    tete.close()


def test_a_new_publication_replaces_the_files_and_old_days_are_removed(annuaire, settings):
    for jours in range(5, 0, -1):  # files of earlier nights
        ancien = (timezone.localdate() - datetime.timedelta(days=jours)).isoformat()
        settings.DONNEES_OUVERTES_DIR.mkdir(parents=True, exist_ok=True)
        (settings.DONNEES_OUVERTES_DIR / f"annuaire-monenfant-{ancien}.csv").write_text("ancien")
    donnees_ouvertes.publier()
    dates = {p.name[19:29] for p in settings.DONNEES_OUVERTES_DIR.glob("annuaire-monenfant-*")}
    assert len(dates) == donnees_ouvertes.GARDER and timezone.localdate().isoformat() in dates
    assert not list(settings.DONNEES_OUVERTES_DIR.glob("*.partiel"))


@pytest.mark.parametrize("horaires, attendu", [
    ([], ""),
    ([(1, datetime.time(8), datetime.time(12)), (1, datetime.time(14), datetime.time(18))], "Mo 08:00-12:00,14:00-18:00"),
    ([(d, datetime.time(8), datetime.time(18)) for d in (1, 2, 4, 5)], "Mo-Tu 08:00-18:00; Th-Fr 08:00-18:00"),
    ([(7, datetime.time(9), datetime.time(11))], "Su 09:00-11:00"),
])
def test_opening_hours_are_written_as_openstreetmap_does(horaires, attendu):
    assert donnees_ouvertes.horaires_osm(horaires) == attendu
