"""A family states its need once (the child's age, the start, the days and hours): results are ranked by how
well they fit, in the database, and each says in words what fits and what does not. Dates are computed from
today: these tests hold on any day."""

import datetime
import json

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from monenfant.francais import date_longue
from structures import besoin as besoins
from structures.enums import Jour, Rubrique, TypeAccueil
from structures.models import CreneauDisponible, DemiJournee, Horaire, Structure
from structures.selectors import Criteres, search_structures
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]

SEMAINE = (1, 2, 3, 4, 5)
T = datetime.time


def dans(jours: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=jours)


def un_besoin(**autres) -> besoins.Besoin:
    valeurs = {"debut": dans(60), "jours": SEMAINE, "heure_debut": T(8), "heure_fin": T(18), "age_mois": 4}
    return besoins.Besoin(**{**valeurs, **autres})


def ouvrir(structure, debut=None, fin=None, jours=SEMAINE):
    debut, fin = debut or T(7, 30), fin or T(18, 30)
    for jour in jours:
        Horaire.objects.create(structure=structure, jour=jour, ouverture=debut, fermeture=fin)


def places_libres(structure, jours=SEMAINE):
    for jour in jours:
        for demi in DemiJournee:
            CreneauDisponible.objects.create(structure=structure, jour=jour, demi_journee=demi)


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


@pytest.fixture
def autour_du_puy(le_puy):
    """Five fiches around Le Puy: the nearest fit least."""
    maintenant = timezone.now()
    o = le_puy.point
    fiches = {
        "relais": StructureFactory(rubrique=Rubrique.RPE, nom="Relais du Breuil", point=point_at_km(o, 0.1),
                                   places_disponibles=None),
        "assmat_ancienne": StructureFactory(nom="Assistante aux places anciennes", point=point_at_km(o, 0.5),
                                            age_min_mois=0, age_max_mois=36, places_disponibles=1,
                                            places_mises_a_jour_le=maintenant - datetime.timedelta(days=200)),
        "creche_courte": StructureFactory(creche=True, nom="Crèche aux horaires courts", point=point_at_km(o, 1),
                                          age_min_mois=2, age_max_mois=36, places_bebes=2,
                                          places_mises_a_jour_le=maintenant),
        "assmat": StructureFactory(nom="Assistante qui convient", point=point_at_km(o, 2), age_min_mois=0,
                                   age_max_mois=36, places_disponibles=1, places_mises_a_jour_le=maintenant),
        "creche": StructureFactory(creche=True, nom="Crèche qui convient", point=point_at_km(o, 3),
                                   age_min_mois=2, age_max_mois=36, places_bebes=1, places_grands=0,
                                   places_disponibles=1, places_mises_a_jour_le=maintenant),
    }
    places_libres(fiches["assmat_ancienne"])
    places_libres(fiches["assmat"])
    ouvrir(fiches["creche_courte"], T(8, 30), T(17, 30))
    ouvrir(fiches["creche"])
    return fiches


def classe(doc, nom: str) -> list:
    return doc.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {nom} ")]')


def titres_des_resultats(doc) -> list[str]:
    return [t.text_content().strip() for t in doc.xpath('//ol[contains(@class, "mf-results")]//h2')]


def noms(qs) -> list[str]:
    return [s.nom for s in qs]


def test_the_week_is_condensed_when_hours_and_half_days_change(le_puy):
    creche = StructureFactory(creche=True)
    ouvrir(creche, T(7, 50), T(18, 10), jours=[Jour.MARDI])
    creche.refresh_from_db()
    mardi = creche.ouvertures_condensees >> besoins.BITS_PAR_JOUR & besoins.FERME
    # 7 h 50 counts from 8 h (rounded up), 18 h 10 until 18 h (rounded down): never more than it is.
    assert (mardi, creche.fermetures_condensees >> besoins.BITS_PAR_JOUR & besoins.FERME) == (32, 72)
    assert creche.ouvertures_condensees & besoins.FERME == besoins.FERME  # closed on Monday
    creche.horaires.all().delete()
    creche.refresh_from_db()
    assert creche.fermetures_condensees == 0

    assmat = StructureFactory()
    CreneauDisponible.objects.create(structure=assmat, jour=Jour.MERCREDI, demi_journee=DemiJournee.APRES_MIDI)
    assmat.refresh_from_db()
    assert assmat.demi_journees_disponibles == besoins.bit_demi_journee(Jour.MERCREDI, True)


def test_results_are_ranked_by_fit_then_distance_and_nearest_first_without_a_need(le_puy, autour_du_puy):
    proches = Criteres(point=le_puy.point, rayon_km=10)
    assert noms(search_structures(proches)) == [
        "Relais du Breuil", "Assistante aux places anciennes", "Crèche aux horaires courts",
        "Assistante qui convient", "Crèche qui convient"]
    classes = search_structures(Criteres(point=le_puy.point, rayon_km=10, besoin=un_besoin()))
    assert [(s.nom, s.adequation) for s in classes] == [
        ("Assistante qui convient", 3), ("Crèche qui convient", 3),
        # An availability older than three months is no longer a place; hours that do not cover the day either.
        ("Assistante aux places anciennes", 2), ("Crèche aux horaires courts", 2),
        ("Relais du Breuil", 0)]


def test_a_place_for_another_age_group_or_after_the_start_does_not_fit(le_puy, autour_du_puy):
    # A child of 34 months at the start: the crèche has no place for the grands (0), its general count is not read.
    grand = un_besoin(age_mois=None, naissance=dans(60) - datetime.timedelta(days=34 * 31))
    assert grand.tranche[0] == "places_grands"
    scores = {s.nom: s.adequation for s in search_structures(Criteres(point=le_puy.point, besoin=grand))}
    assert scores["Crèche qui convient"] == 2
    Structure.objects.filter(pk=autour_du_puy["assmat"].pk).update(disponible_a_partir_du=dans(90))
    scores = {s.nom: s.adequation for s in search_structures(Criteres(point=le_puy.point, besoin=un_besoin()))}
    assert scores["Assistante qui convient"] == 2


def test_an_assistant_maternel_fits_on_the_half_days_asked_only(le_puy):
    assmat = StructureFactory(age_min_mois=0, places_mises_a_jour_le=timezone.now())
    places_libres(assmat, jours=[1, 2])
    CreneauDisponible.objects.create(structure=assmat, jour=3, demi_journee=DemiJournee.MATIN)
    matins = un_besoin(jours=(1, 2, 3), heure_debut=T(8), heure_fin=T(12))
    journees = un_besoin(jours=(1, 2, 3))
    assert search_structures(Criteres(point=le_puy.point, besoin=matins)).get().adequation == 3
    assert search_structures(Criteres(point=le_puy.point, besoin=journees)).get().adequation == 2
    assmat = Structure.objects.prefetch_related("horaires", "creneaux_disponibles").get(pk=assmat.pk)
    assert besoins.Constat(False, "mercredi : pas de place l'après-midi") in besoins.constats(assmat, journees)


def test_each_result_says_in_words_what_fits_and_what_does_not(le_puy, autour_du_puy):
    besoin = un_besoin()
    fiches = {s.nom: s for s in Structure.objects.prefetch_related("horaires", "creneaux_disponibles")}
    courte = [c.texte for c in besoins.constats(fiches["Crèche aux horaires courts"], besoin)]
    assert courte == [f"accueille un enfant de {besoin.age_au_debut} mois",
                      "du lundi au vendredi : ouvre à 8 h 30 et ferme à 17 h 30", "2 places disponibles pour les bébés"]
    ancienne = besoins.constats(fiches["Assistante aux places anciennes"], besoin)
    declaree = autour_du_puy["assmat_ancienne"].places_mises_a_jour_le
    assert ancienne[-1] == besoins.Constat(False, f"places à confirmer (déclarées le {date_longue(declaree)})")
    assert besoins.constats(fiches["Relais du Breuil"], besoin) == []
    Structure.objects.filter(pk=autour_du_puy["creche"].pk).update(disponible_a_partir_du=dans(20))
    creche = Structure.objects.prefetch_related("horaires").get(pk=autour_du_puy["creche"].pk)
    assert besoins.constats(creche, besoin)[1:] == [
        besoins.Constat(True, "ouvert aux heures demandées"),
        besoins.Constat(True, f"place dès le {date_longue(dans(20))}")]


def test_a_closed_day_and_a_lunch_break_are_said(le_puy):
    creche = StructureFactory(creche=True, places_disponibles=1, places_mises_a_jour_le=timezone.now())
    ouvrir(creche, T(7), T(12), jours=[1, 2])
    ouvrir(creche, T(13), T(19), jours=[1, 2])
    creche = Structure.objects.prefetch_related("horaires").get(pk=creche.pk)
    textes = [c.texte for c in besoins.constats(creche, un_besoin(jours=(1, 2, 6)))]
    assert "lundi et mardi : ouvre à 13 h" in textes
    assert "samedi : fermé" in textes


@pytest.mark.parametrize(("params", "champ", "message"), [
    ({"debut": "2027-13-01"}, "debut", "Début de l'accueil : saisissez une date comme 01/03/2027."),
    ({"jours": "lundi,funday"}, "jours", "Jour inconnu : « funday »"),
    ({"heure_fin": "07:00"}, "heure_fin", "L'heure de fin doit être après l'heure de début."),
    ({"age_enfant": "", "naissance": ""}, "naissance", "Indiquez l'âge de l'enfant"),
    ({"ressources": "3000"}, "enfants_a_charge", "indiquez vos ressources et le nombre d'enfants"),
    ({"ressources": "1e999", "enfants": "2"}, "ressources", "Ressources : saisissez un montant"),
    ({"heure_debut": "25:00"}, "heure_debut", "Heure d'arrivée : saisissez une heure"),
    ({"heure_fin": str(2**70)}, "heure_fin", "Heure de départ : saisissez une heure"),
    ({"enfants": "0", "ressources": "2000"}, "enfants", "au moins 1"),
])
def test_a_need_typed_wrong_gets_a_french_message_naming_its_field(params, champ, message):
    valeurs = {"debut": dans(30).isoformat(), "jours": "lundi,mardi", "heure_debut": "8:00", "heure_fin": "18h",
               "age_enfant": "4", **params}
    with pytest.raises(besoins.BesoinInvalide) as erreur:
        besoins.besoin_depuis(valeurs)
    assert erreur.value.champ == champ
    assert message in str(erreur.value)


def test_a_need_is_read_from_french_and_iso_forms_and_none_when_absent():
    besoin = besoins.besoin_depuis({"debut": dans(30).strftime("%d/%m/%Y"), "jours": "lundi,2,Mercredi",
                                    "heure_debut": "8 h", "heure_fin": "18h30", "naissance": dans(-120).isoformat()})
    assert (besoin.jours, besoin.heure_debut, besoin.heure_fin) == ((1, 2, 3), T(8), T(18, 30))
    assert besoin.heures_par_semaine == 31.5
    assert besoins.besoin_depuis({"commune": "Le Puy"}) is None


# The search page and the API ----------------------------------------------------------------------------------


def poster_besoin(client, le_puy, **autres):
    donnees = {"commune": "Le Puy-en-Velay (43000)", "code_insee": le_puy.code_insee, "age_enfant": "4",
               "debut": dans(60).isoformat(), "jours": ["1", "2", "3", "4", "5"], "heure_debut": "08:00",
               "heure_fin": "18:00", **autres}
    return client.post(reverse("structures:recherche"), donnees)


def test_the_search_page_ranks_by_the_need_posted_once_and_keeps_it_out_of_the_url(client, le_puy, autour_du_puy):
    response = poster_besoin(client, le_puy, ressources="3000", enfants="2")
    assert response.status_code == 303
    assert "ressources" not in response["Location"] and "debut" not in response["Location"]
    page = client.get(response["Location"])
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    doc = lxml.html.fromstring(page.content)
    titres = titres_des_resultats(doc)
    assert titres[:2] == ["Assistante qui convient", "Crèche qui convient"]
    assert titres[-1] == "Relais du Breuil"
    resume = classe(doc, "mf-besoin-resume")[0].text_content()
    assert "du lundi au vendredi, de 8 h à 18 h" in resume
    courte = doc.xpath('//ol[contains(@class, "mf-results")]/li')[3].text_content()
    assert "du lundi au vendredi : ouvre à 8 h 30 et ferme à 17 h 30" in courte
    # The form shows the need again, to change it.
    assert doc.get_element_by_id("ressources").get("value") == "3000"

    oubli = client.post(reverse("structures:oublier_besoin") + "?" + response["Location"].split("?")[1])
    titres = titres_des_resultats(lxml.html.fromstring(client.get(oubli["Location"]).content))
    assert titres[0] == "Relais du Breuil"


def test_a_need_typed_wrong_is_shown_again_with_its_message_and_nothing_lost(client, le_puy, autour_du_puy):
    response = poster_besoin(client, le_puy, heure_fin="07:00", ressources="2500", enfants="1")
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content)
    assert "L'heure de fin doit être après l'heure de début." in doc.xpath('//*[@role="alert"]')[0].text_content()
    assert doc.get_element_by_id("ressources").get("value") == "2500"
    assert doc.get_element_by_id("jour-3").get("checked") is not None
    assert "recherche_besoin" not in client.session


def test_the_api_ranks_by_fit_on_request_and_pages_with_its_cursor(client, le_puy, autour_du_puy):
    besoin = {"commune": le_puy.code_insee, "age_enfant": "4", "debut": dans(60).isoformat(), "jours": "1,2,3,4,5",
              "heure_debut": "08:00", "heure_fin": "18:00"}
    url = reverse("structures:api_structures")
    proches = client.get(url, besoin).json()
    assert proches["features"][0]["properties"]["nom"] == "Relais du Breuil"
    pages, suivante = [], f"{url}?tri=adequation&limite=2&" + "&".join(f"{k}={v}" for k, v in besoin.items())
    while suivante:
        page = client.get(suivante).json()
        pages.append([(f["properties"]["nom"], f["properties"]["adequation"]) for f in page["features"]])
        suivante = page.get("suivant")
    assert pages == [[("Assistante qui convient", 3), ("Crèche qui convient", 3)],
                     [("Assistante aux places anciennes", 2), ("Crèche aux horaires courts", 2)],
                     [("Relais du Breuil", 0)]]
    sans_besoin = client.get(url, {"commune": le_puy.code_insee, "tri": "adequation"})
    assert sans_besoin.status_code == 400
    assert "besoin" in json.loads(sans_besoin.content)["erreur"]
    assert client.get(url, {**besoin, "tri": "adequation", "heure_fin": "7h"}).status_code == 400
    assert client.get(url, {**besoin, "tri": "hasard"}).status_code == 400


def test_an_old_cursor_of_a_ranked_search_is_refused_in_a_plain_one_and_back(client, le_puy, autour_du_puy):
    url = reverse("structures:api_structures")
    besoin = {"commune": le_puy.code_insee, "age_enfant": "4", "debut": dans(60).isoformat(), "jours": "1,2",
              "heure_debut": "08:00", "heure_fin": "18:00", "limite": "1"}
    classe = client.get(url, {**besoin, "tri": "adequation"}).json()["suivant"].split("curseur=")[1].split("&")[0]
    assert client.get(url, {**besoin, "curseur": classe}).status_code == 400
    plain = client.get(url, besoin).json()["suivant"].split("curseur=")[1].split("&")[0]
    assert client.get(url, {**besoin, "tri": "adequation", "curseur": plain}).status_code == 400


def test_a_micro_creche_outside_the_psu_is_a_creche_for_the_fit(le_puy):
    StructureFactory(rubrique=Rubrique.EAJE, type_accueil=TypeAccueil.MICRO_CRECHE, financement_psu=False,
                     places_disponibles=1, places_mises_a_jour_le=timezone.now())
    assert search_structures(Criteres(point=le_puy.point, besoin=un_besoin())).get().adequation == 2
