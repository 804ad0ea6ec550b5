"""Importing partners' lists (issue 19): the committed real-world file, with each kind of mess real lists hold."""

import csv
import datetime
import html
import io
import json
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from structures.collecte import demarrage, service
from structures.enums import ResultatLigne, Rubrique, StatutImport, TypeAccueil
from structures.models import ImportFiches, Structure

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]
DATA = Path(__file__).parent / "data"
FICHIER = DATA / "creches-mam-43.csv"
CORRESPONDANCE = json.loads((DATA / "correspondance-43.json").read_text(encoding="utf-8"))

# Line → (outcome, a words of its reason) for the file imported by the CNAF (every département).
ATTENDU = {
    2: (ResultatLigne.CREEE, ""), 3: (ResultatLigne.CREEE, ""), 4: (ResultatLigne.CREEE, ""),
    5: (ResultatLigne.CREEE, ""), 6: (ResultatLigne.CREEE, ""), 7: (ResultatLigne.CREEE, ""),
    8: (ResultatLigne.CREEE, ""), 9: (ResultatLigne.CREEE, ""), 10: (ResultatLigne.CREEE, ""),
    11: (ResultatLigne.CREEE, ""),
    12: (ResultatLigne.REJETEE, "Rubrique « MAJ » (colonne CATEGORIE) absente de la correspondance."),
    13: (ResultatLigne.REJETEE, "Rubrique « CATEGORIE » (colonne CATEGORIE) absente de la correspondance."),
    14: (ResultatLigne.CREEE, ""),
    15: (ResultatLigne.FUSIONNEE, "Doublon de la ligne 14."),
    16: (ResultatLigne.FUSIONNEE, "Doublon de la ligne 14."),
    17: (ResultatLigne.CREEE, ""),
    18: (ResultatLigne.FUSIONNEE, "Doublon de la ligne 17."),
    19: (ResultatLigne.REJETEE, "La position est à 110 km du Puy-en-Velay : vérifiez l'adresse ou la commune."),
    20: (ResultatLigne.CREEE, ""),
    21: (ResultatLigne.REJETEE, "Rubrique « 43268 » (colonne CATEGORIE) absente de la correspondance."),
    22: (ResultatLigne.REJETEE, "Rubrique « 43244 » (colonne CATEGORIE) absente de la correspondance."),
    23: (ResultatLigne.REJETEE, "Rubrique « 43157 » (colonne CATEGORIE) absente de la correspondance."),
    24: (ResultatLigne.FUSIONNEE, "Doublon de la ligne 2."),
    25: (ResultatLigne.REJETEE, "Ligne vide."),
    26: (ResultatLigne.FUSIONNEE, "déjà dans l'annuaire : elle reste telle quelle."),
    27: (ResultatLigne.CREEE, ""), 28: (ResultatLigne.CREEE, ""), 29: (ResultatLigne.CREEE, ""),
    30: (ResultatLigne.CREEE, ""),
}


def importer(*, departements=None, simulation=False, contenu=None, correspondance=None, complet=False) -> ImportFiches:
    import_fiches = demarrage.preparer_import(
        fichier_nom=FICHIER.name, contenu=contenu or FICHIER.read_bytes(),
        correspondance=CORRESPONDANCE if correspondance is None else correspondance,
        departements=departements, complet=complet,
    )
    service.executer(import_fiches, simulation=simulation)
    import_fiches.refresh_from_db()
    return import_fiches


def outcomes(import_fiches) -> dict[int, tuple[str, str]]:
    return {ligne.ligne: (ligne.resultat, ligne.motif) for ligne in import_fiches.lignes.all()}


def assert_outcomes(import_fiches, attendu):
    found = outcomes(import_fiches)
    assert set(found) == set(attendu)
    for numero, (resultat, motif) in attendu.items():
        assert found[numero][0] == resultat, (numero, found[numero])
        assert motif in found[numero][1], (numero, found[numero])


def test_the_real_world_file_imports_with_its_outcome_and_reason_for_each_line(haute_loire, fake_ban):
    import_fiches = importer()
    assert import_fiches.statut == StatutImport.TERMINEE
    assert_outcomes(import_fiches, ATTENDU)
    assert import_fiches.resultats | {} == {
        "creee": 17, "mise_a_jour": 0, "inchangee": 0, "fusionnee": 5, "rejetee": 7, "conflits": 0, "a_geocoder": 3,
    }
    importees = Structure.objects.filter(source="cd43-accueil")
    assert importees.count() == 17
    # Local abbreviations became our categories, by the mapping only.
    types = dict(importees.values_list("identifiant_source", "type_accueil"))
    assert (types["C001"], types["C002"], types["C004"], types["C005"], types["C006"]) == (
        TypeAccueil.MULTI_ACCUEIL, TypeAccueil.HALTE_GARDERIE, TypeAccueil.MICRO_CRECHE, TypeAccueil.FAMILIAL,
        TypeAccueil.PERSONNEL)
    fiche = importees.get(identifiant_source="C001")
    assert (fiche.telephone, fiche.siret, fiche.organisme.nom, fiche.capacite) == (
        "04 71 02 03 04", "21430157300011", "Ville du Puy-en-Velay", 40)
    assert (fiche.importee_le, fiche.vue_dans_source_le) == (fiche.importee_le, fiche.importee_le)
    assert fiche.history.get().history_change_reason == "Import cd43-accueil (creches-mam-43.csv)"

    lignes = {ligne.ligne: ligne for ligne in import_fiches.lignes.all()}
    # A former INSEE code goes to the commune that absorbed it, and the report says so.
    vazeilles = importees.get(identifiant_source="C007")
    assert vazeilles.commune_id == "43090"
    assert "Ancien code INSEE 43255 : commune devenue Esplantas-Vazeilles (43090)." in lignes[8].avertissements
    # CEDEX and a neighbour's postal code: kept, with a warning; the lost zero, repaired.
    assert importees.get(identifiant_source="C008").code_postal == "43009"
    assert "Code postal 43009 (CEDEX ou commune voisine)" in lignes[9].avertissements
    assert "Code postal 43400 (CEDEX ou commune voisine), différent de ceux de Tence (43190) : gardé." in lignes[11].avertissements
    bourg = importees.get(identifiant_source="C013")
    assert (bourg.code_postal, bourg.commune_id) == ("01000", "01053")
    assert "Code postal 1000 complété en 01000 (zéro initial perdu)." in lignes[20].avertissements
    # Several rows of one MAM: one fiche, whose blanks the other rows filled.
    mam = importees.get(identifiant_source="M001-A")
    assert (mam.rubrique, mam.nom, mam.email, mam.telephone) == (
        Rubrique.MAM, "MAM Les P'tits Bouchons", "bouchons@exemple.fr", "06 12 34 56 78")
    # The fiche typed by hand is left as it was.
    assert Structure.objects.get(nom="Multi-accueil Les Coccinelles").source == ""
    # Unusable contacts are dropped with a warning, the row kept.
    marmots = importees.get(identifiant_source="C015")
    assert (marmots.telephone, marmots.email, marmots.siret) == ("", "", "")
    assert lignes[27].avertissements.splitlines() == [
        "Téléphone « n/c » illisible : non repris.", "Courriel « marmots@ » invalide : non repris.",
        "SIRET « 123 » invalide (14 chiffres) : non repris."]
    # Addresses without coordinates (or with an unsure score) geocoded in one call to the BAN's CSV endpoint.
    assert fake_ban.csv_calls == [3]
    velay = importees.get(identifiant_source="C003")
    assert (round(velay.lon, 4), round(velay.lat, 4), velay.geocodage_score, velay.position_approximative) == (
        3.8851, 45.0429, 0.93, False)
    assert (round(importees.get(identifiant_source="C017").lat, 4)) == 45.143
    nid = importees.get(identifiant_source="C018")
    assert nid.position_approximative and (nid.lon, nid.lat) == (haute_loire["43041"].point.x, haute_loire["43041"].point.y)
    assert lignes[30].avertissements.endswith("centre de la commune, position approximative.")


@pytest.mark.parametrize("lot", [service.LOT_RAPPROCHEMENT, 1])
def test_the_same_file_twice_changes_no_fiche(haute_loire, fake_ban, monkeypatch, lot):
    # Compared with the existing fiches by batches of communes: one commune a batch gives the same outcomes.
    monkeypatch.setattr(service, "LOT_RAPPROCHEMENT", lot)
    importer()
    avant = {s.pk: (s.modifie_le, s.history.count()) for s in Structure.objects.all()}
    deuxieme = importer()
    assert deuxieme.resultats | {} == {
        "creee": 0, "mise_a_jour": 0, "inchangee": 17, "fusionnee": 5, "rejetee": 7, "conflits": 0, "a_geocoder": 0,
    }
    assert {s.pk: (s.modifie_le, s.history.count()) for s in Structure.objects.all()} == avant
    # Merged and rejected rows stay so, for the same reasons.
    premiere = ImportFiches.objects.exclude(pk=deuxieme.pk).get()
    assert {n: r for n, (r, _) in outcomes(deuxieme).items() if r != ResultatLigne.INCHANGEE} == {
        n: r for n, (r, _) in outcomes(premiere).items() if r != ResultatLigne.CREEE}
    assert fake_ban.csv_calls == [3], "unchanged addresses are not geocoded again"


def test_rows_compared_by_batches_of_communes_keep_the_file_order_for_two_rows_of_one_fiche(haute_loire, monkeypatch):
    # One commune a batch: Aiguilhe (43002) is compared before Le Puy (43157), yet line 2 comes first in the file.
    monkeypatch.setattr(service, "LOT_RAPPROCHEMENT", 1)
    entete = FICHIER.read_bytes().split(b"\r\n")[0]
    puy = "C900;Crèche du Breuil;MA;1 place du Breuil;43000;Le Puy-en-Velay;43157;;;20;;{siret};45,0445;3,8836;"
    aiguilhe = "C901;Crèche du Rocher;MA;4 rue du Rocher;43000;Aiguilhe;43002;;;12;;21430157300011;45,0527;3,8848;"
    importer(contenu=b"\r\n".join([entete, puy.format(siret="21430157300011").encode("cp1252")]))
    fiche = Structure.objects.get(identifiant_source="C900")
    rapport = importer(contenu=b"\r\n".join([entete, puy.format(siret="").encode("cp1252"), aiguilhe.encode("cp1252")]))
    assert outcomes(rapport) == {2: (ResultatLigne.MISE_A_JOUR, "Modifié : SIRET."),
                                 3: (ResultatLigne.FUSIONNEE, "Doublon de la ligne 2.")}
    assert rapport.lignes.get(ligne=2).structure_id == fiche.pk
    assert Structure.objects.filter(source="cd43-accueil").count() == 1


def test_a_field_a_person_changed_is_never_overwritten_it_is_a_conflict(haute_loire):
    importer()
    fiche = Structure.objects.get(identifiant_source="C001")
    fiche.telephone = "04 71 99 99 99"
    fiche.save()
    modifie = FICHIER.read_bytes().replace(b"petitsloups@lepuy.fr;40", b"accueil@lepuy.fr;42", 1)
    modifie = modifie.replace(b"0471020304", b"0471020305", 1)
    rapport = importer(contenu=modifie)
    fiche.refresh_from_db()
    assert (fiche.telephone, fiche.email, fiche.capacite) == ("04 71 99 99 99", "accueil@lepuy.fr", 42)
    ligne = rapport.lignes.get(ligne=2)
    assert (ligne.resultat, ligne.motif) == (ResultatLigne.MISE_A_JOUR, "Modifié : courriel, capacité.")
    assert ligne.conflits == ("téléphone : la fiche a été modifiée depuis le dernier import (« 04 71 99 99 99 »), "
                              "la source dit « 04 71 02 03 05 » : non repris.")
    assert rapport.resultats["conflits"] == 1
    assert fiche.history.first().history_change_reason == "Import cd43-accueil (creches-mam-43.csv)"


def test_a_full_import_flags_the_fiches_its_source_no_longer_holds_and_deletes_nothing(haute_loire):
    importer(complet=True)
    sans_laep = b"\r\n".join(line for line in FICHIER.read_bytes().split(b"\r\n") if not line.startswith(b"C016;"))
    rapport = importer(contenu=sans_laep, complet=True)
    assert rapport.resultats["absentes"] == 1
    laep = Structure.objects.get(identifiant_source="C016")
    assert laep.absente_de_la_source_le is not None and laep.fermee_le is None
    assert Structure.objects.filter(absente_de_la_source_le__isnull=False).count() == 1


def test_a_caf_imports_for_its_own_departement_only(haute_loire):
    rapport = importer(departements={"43"})
    attendu = ATTENDU | {20: (ResultatLigne.REJETEE, "Bourg-en-Bresse est dans le département 01, hors du territoire "
                                                      "de cet import (43).")}
    assert_outcomes(rapport, attendu)
    assert not Structure.objects.filter(commune__departement="01").exists()


def test_a_simulation_writes_no_fiche_and_says_what_would_happen(haute_loire, fake_ban):
    simulation = importer(simulation=True)
    assert simulation.statut == StatutImport.SIMULEE
    assert simulation.resultats["creee"] == 17 and simulation.resultats["a_geocoder"] == 3
    assert not Structure.objects.filter(source="cd43-accueil").exists()
    assert fake_ban.csv_calls == []
    assert_outcomes(simulation, ATTENDU)


def test_imported_creches_are_found_around_their_commune_and_mam_with_their_label_and_code(haute_loire, client):
    importer()
    response = client.get("/api/structures/", {"commune": "43157", "rubrique": "EAJE"})
    noms = {f["properties"]["nom"] for f in response.json()["features"]}
    assert {"Multi-accueil Les Petits Loups", "Halte-garderie Pomme d'Api", "Crèche familiale du Velay"} <= noms
    response = client.get("/api/structures/", {"commune": "43041", "rubrique": "MAM"})
    mam = {f["properties"]["nom"]: f["properties"] for f in response.json()["features"]}
    assert mam["MAM Les Câlins"]["rubrique"] == "MAM"
    assert mam["MAM Les Câlins"]["rubrique_libelle"] == "Maison d'assistants maternels"
    page = client.get(reverse("structures:fiche", args=[Structure.objects.get(identifiant_source="M002").pk]))
    assert "Maison d'assistants maternels" in html.unescape(page.content.decode())
    # And in the listing of their département (the import sets each fiche's département).
    listed = {f["properties"]["id"] for f in client.get("/api/structures/", {"departement": "43", "limite": 200}).json()["features"]}
    assert listed == set(Structure.objects.published().filter(commune__departement="43").values_list("pk", flat=True))
    assert len(listed) >= 17


def test_the_command_simulates_then_imports_and_writes_the_report(haute_loire, tmp_path):
    rapport = tmp_path / "rapport.csv"
    correspondance = tmp_path / "correspondance.json"
    correspondance.write_text(json.dumps(CORRESPONDANCE), encoding="utf-8")
    out = io.StringIO()
    call_command("import_structures", str(FICHIER), correspondance=str(correspondance), simulation=True,
                 rapport=str(rapport), stdout=out)
    assert "Simulation de 29 lignes" in out.getvalue() and "17 créée" in out.getvalue()
    assert not Structure.objects.filter(source="cd43-accueil").exists()
    lignes = list(csv.reader(io.StringIO(rapport.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert lignes[0] == ["ligne", "resultat", "fiche", "nom", "motif", "avertissements", "conflits"]
    assert lignes[11][:2] == ["12", "Rejetée"] and "MAJ" in lignes[11][4]
    call_command("import_structures", str(FICHIER), correspondance=str(correspondance), stdout=io.StringIO())
    assert Structure.objects.filter(source="cd43-accueil").count() == 17


@pytest.mark.parametrize("correspondance, erreur", [
    ({"source": "X Y", "champs": {"nom": "NOM"}},
     "« source » est un code court"),
    ({**CORRESPONDANCE, "rubrique": {"colonne": "CATEGORIE", "valeurs": {"MA": "CRECHE"}}},
     "« rubrique » : codes inconnus CRECHE."),
    ({**CORRESPONDANCE, "rubrique": "ASSMAT"},
     "« rubrique » : code inconnu « ASSMAT »"),
    ({**CORRESPONDANCE, "champs": {"nom": "NOM_ETAB", "ville": "COMMUNE"}},
     "Champs inconnus : ville."),
])
def test_a_wrong_mapping_is_refused_in_french_before_anything_runs(correspondance, erreur, tmp_path):
    fichier = tmp_path / "m.json"
    fichier.write_text(json.dumps(correspondance), encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=erreur):
        call_command("import_structures", str(FICHIER), correspondance=str(fichier), stdout=io.StringIO())
    assert not ImportFiches.objects.exists()


def test_columns_the_mapping_names_but_the_file_lacks_end_the_import_with_their_names(haute_loire):
    rapport = importer(correspondance={**CORRESPONDANCE, "champs": {**CORRESPONDANCE["champs"], "site_web": "WEB"}})
    assert rapport.statut == StatutImport.ECHEC
    assert rapport.erreur == "Colonnes absentes du fichier : WEB."


# Formats -------------------------------------------------------------------------------------------------------

def lignes_csv() -> list[list[str]]:
    return list(csv.reader(io.StringIO(FICHIER.read_bytes().decode("cp1252")), delimiter=";"))


def test_an_xlsx_and_a_utf8_csv_with_commas_give_the_same_outcomes(haute_loire):
    import openpyxl

    classeur = openpyxl.Workbook()
    feuille = classeur.active
    for ligne in lignes_csv():
        # A spreadsheet stores numbers as numbers: the postal code 1000 and the INSEE code 1053 lost their zero.
        feuille.append([float(c.replace(",", ".")) if c.replace(",", "").replace(".", "").isdigit() and c[:1] != "0"
                        else c for c in ligne])
    contenu = io.BytesIO()
    classeur.save(contenu)
    import_fiches = demarrage.preparer_import(fichier_nom="liste.xlsx", contenu=contenu.getvalue(),
                                             correspondance=CORRESPONDANCE)
    service.executer(import_fiches, simulation=True)
    assert_outcomes(import_fiches, ATTENDU)

    texte = io.StringIO()
    csv.writer(texte).writerows(lignes_csv())
    import_fiches = demarrage.preparer_import(fichier_nom="liste.csv", contenu=("\ufeff" + texte.getvalue()).encode(),
                                             correspondance=CORRESPONDANCE)
    service.executer(import_fiches, simulation=True)
    assert_outcomes(import_fiches, ATTENDU)


def test_a_geojson_takes_its_positions_from_its_geometries(haute_loire):
    entete, *lignes = lignes_csv()
    features = [{"type": "Feature", "properties": dict(zip(entete, ligne, strict=False)),
                 "geometry": {"type": "Point", "coordinates": [float(ligne[13].replace(",", ".")),
                                                               float(ligne[12].replace(",", "."))]}}
                for ligne in lignes[:2]]
    correspondance = {**CORRESPONDANCE, "position": "geometrie"}
    rapport = importer(contenu=json.dumps({"type": "FeatureCollection", "features": features}).encode(),
                       correspondance=correspondance)
    assert rapport.resultats["creee"] == 2
    assert round(Structure.objects.get(identifiant_source="C002").lat, 4) == 45.0527


def test_a_data_inclusion_file_needs_no_mapping_and_rejects_other_typologies_by_name(haute_loire):
    mis_a_jour = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    structures = [
        {"source": "dora", "id": "dora--1", "nom": "Crèche AVIP Les Lutins", "date_maj": mis_a_jour,
         "commune": "Le Puy-en-Velay", "code_postal": "43000", "code_insee": "43157", "adresse": "4 rue Raphaël",
         "longitude": 3.884, "latitude": 45.044, "reseaux_porteurs": ["creches-avip"],
         "courriel": "lutins@exemple.fr"},
        {"source": "dora", "id": "dora--2", "nom": "Mission locale du Velay", "date_maj": mis_a_jour,
         "commune": "Le Puy-en-Velay", "code_postal": "43000", "code_insee": "43157", "adresse": "8 rue Crozatier",
         "longitude": 3.883, "latitude": 45.042, "reseaux_porteurs": ["mission-locale"]},
    ]
    from data_inclusion.schema.v1 import Structure as SchemaStructure

    for s in structures:
        SchemaStructure.model_validate(s)  # a valid data·inclusion file
    rapport = importer(contenu=json.dumps(structures).encode(), correspondance={})
    assert outcomes(rapport) == {
        1: (ResultatLigne.CREEE, ""),
        2: (ResultatLigne.REJETEE, "Rubrique « mission-locale » (colonne typologie ou réseaux porteurs) absente de la "
                                   "correspondance."),
    }
    lutins = Structure.objects.get(identifiant_source="dora--1")
    assert (lutins.source, lutins.rubrique, lutins.type_accueil, lutins.email) == (
        "data-inclusion", Rubrique.EAJE, TypeAccueil.COLLECTIF, "lutins@exemple.fr")


def test_when_the_ban_cannot_be_reached_the_commune_centre_is_used_and_said(haute_loire, fake_ban):
    fake_ban.down = True
    rapport = importer()
    assert rapport.resultats["creee"] == 17
    approximatives = set(Structure.objects.filter(position_approximative=True).values_list("identifiant_source", flat=True))
    assert approximatives == {"C003", "C017", "C018"}


@pytest.mark.parametrize("contenu, erreur", [
    (b"", "Le fichier est vide."),
    (b"\x00\x01\x02PK", "Ce fichier n'est pas un CSV (il contient des caractères binaires)."),
    (b"PK\x03\x04 pas un classeur", "Ce fichier Excel ne peut pas être lu : enregistrez-le au format XLSX."),
    (b'{"type": "FeatureCollection"', "JSON invalide (ligne 1, colonne 29)."),
    (b";;;\r\n;;;\r\n", "La première ligne doit nommer les colonnes."),
])
def test_an_unreadable_file_is_said_in_french_and_nothing_is_written(haute_loire, contenu, erreur):
    if not contenu:
        with pytest.raises(demarrage.ImportImpossible, match=erreur):
            demarrage.preparer_import(fichier_nom="x.csv", contenu=contenu, correspondance=CORRESPONDANCE)
        return
    rapport = importer(contenu=contenu)
    assert (rapport.statut, rapport.erreur) == (StatutImport.ECHEC, erreur)
    assert not Structure.objects.filter(source="cd43-accueil").exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_a_real_celery_worker_through_redis_and_its_progress_is_read(settings, haute_loire):
    from celery.contrib.testing.worker import start_worker

    from monenfant.celery import app
    from structures.tasks import importer_fiches

    assert settings.REDIS_URL, "make test fournit REDIS_URL pour ce test"
    import_fiches = demarrage.preparer_import(fichier_nom=FICHIER.name, contenu=FICHIER.read_bytes(),
                                             correspondance=CORRESPONDANCE)
    with start_worker(app, pool="solo", perform_ping_check=False):
        importer_fiches.delay(import_fiches.pk, True).get(timeout=60)
        import_fiches.refresh_from_db()
        assert (import_fiches.statut, import_fiches.lignes_lues, import_fiches.lignes_total) == (StatutImport.SIMULEE, 29, 29)
        demarrage.lancer(import_fiches, simulation=False)  # queued now: no transaction around it here
        for _ in range(600):
            import_fiches.refresh_from_db()
            if import_fiches.statut == StatutImport.TERMINEE:
                break
            time.sleep(0.1)
    assert import_fiches.statut == StatutImport.TERMINEE and import_fiches.progression == 100
    assert Structure.objects.filter(source="cd43-accueil").count() == 17
