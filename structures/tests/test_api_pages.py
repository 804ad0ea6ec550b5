"""The API without a point (a département by id), its pages by cursor, and one fiche (issue 20)."""

import pytest
from django.urls import reverse

from structures import services
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, HoraireFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]
API = "/api/structures/"


@pytest.fixture
def haute_loire():
    """Fiches of the Haute-Loire (some at the same point), one of the Pyrénées-Atlantiques, and what the public
    never sees: an assistant maternel without consent, a closed crèche."""
    le_puy, yssingeaux, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="43268"), CommuneFactory(code_insee="64445")
    publiques = [
        StructureFactory(creche=True, commune=le_puy, nom="Crèche A"),
        StructureFactory(creche=True, commune=le_puy, nom="Crèche B"),  # same point as A
        StructureFactory(rubrique=Rubrique.MAM, commune=le_puy, point=point_at_km(le_puy.point, 1.5)),
        StructureFactory(rubrique=Rubrique.RPE, commune=yssingeaux),
        StructureFactory(commune=le_puy, point=point_at_km(le_puy.point, 0.7)),  # an assistant maternel who consented
        StructureFactory(creche=True, commune=le_puy, point=point_at_km(le_puy.point, 3)),
        StructureFactory(rubrique=Rubrique.LAEP, commune=le_puy, point=point_at_km(le_puy.point, 1.5)),
    ]
    cachees = [StructureFactory(commune=le_puy, consentement_publication_le=None),
               StructureFactory(creche=True, fermee=True, commune=le_puy)]
    ailleurs = StructureFactory(creche=True, commune=pau)
    return {"publiques": publiques, "cachees": cachees, "ailleurs": ailleurs, "le_puy": le_puy}


def walk(client, url: str) -> tuple[list[int], int]:
    """Every feature by following `suivant`; the number of pages."""
    ids, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        ids += [f["properties"]["id"] for f in page["features"]]
        pages += 1
        url = page.get("suivant")
        assert pages < 50, "les pages ne finissent pas"
    return ids, pages


def test_a_departement_is_walked_page_by_page_by_id_with_the_public_fiches_only(client, haute_loire):
    ids, pages = walk(client, f"{API}?departement=43&limite=2")
    assert ids == sorted(s.pk for s in haute_loire["publiques"])
    assert pages == 4  # 7 fiches by 2: the last page holds one and names no next page
    first = client.get(f"{API}?departement=43&limite=2").json()
    assert first["suivant"].startswith("http://testserver/api/structures/?departement=43&limite=2&curseur=")
    assert first["features"][0]["properties"]["distance_km"] is None  # no point, no distance


def test_the_filters_apply_to_a_departement(client, haute_loire):
    ids, _ = walk(client, f"{API}?departement=43&rubrique=eaje,mam")
    assert ids == sorted(s.pk for s in haute_loire["publiques"] if s.rubrique in (Rubrique.EAJE, Rubrique.MAM))


def test_around_a_point_the_pages_keep_the_order_of_one_long_answer_ties_included(client, haute_loire):
    whole = [f["properties"]["id"] for f in client.get(f"{API}?commune=43157&limite=200").json()["features"]]
    ids, pages = walk(client, f"{API}?commune=43157&limite=1")
    assert ids == whole and pages == len(whole)
    a, b = haute_loire["publiques"][:2]
    assert whole[:2] == sorted([a.pk, b.pk]), "equal distances, by id"
    assert len(whole) == 6  # within 10 km: Yssingeaux is farther


def test_a_departement_narrows_a_search_around_a_point(client, haute_loire):
    ids, _ = walk(client, f"{API}?lat=45.0434&lon=3.8856&rayon_km=50&departement=64")
    assert ids == []


@pytest.mark.parametrize("query, message", [
    ("", "Indiquez un département, une commune (code INSEE) ou des coordonnées lat et lon."),
    ("?departement=999", "Département inconnu : « 999 »"),
    ("?departement=4%003", "Département inconnu"),
    ("?departement=43&curseur=abc", "Curseur invalide"),
    ("?departement=43&curseur=" + "A" * 500, "Curseur invalide"),
    ("?departement=43&limite=0", "limite doit être un entier entre 1 et 200."),
    ("?departement=43&limite=deux", "limite doit être un entier entre 1 et 200."),
])
def test_crafted_parameters_get_a_400_in_french(client, haute_loire, query, message):
    response = client.get(API + query)
    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_a_cursor_of_a_search_around_a_point_is_refused_by_a_departement_listing_and_back(client, haute_loire):
    autour = client.get(f"{API}?commune=43157&limite=1").json()["suivant"].split("curseur=")[1]
    departement = client.get(f"{API}?departement=43&limite=1").json()["suivant"].split("curseur=")[1]
    assert client.get(f"{API}?departement=43&curseur={autour}").status_code == 400
    assert client.get(f"{API}?commune=43157&curseur={departement}").status_code == 400


def test_one_fiche_has_what_its_page_shows(client, haute_loire):
    creche = haute_loire["publiques"][0]
    HoraireFactory(structure=creche)
    response = client.get(reverse("structures:api_structure", args=[creche.pk]))
    assert response.status_code == 200
    fiche = response.json()
    assert fiche["geometry"]["coordinates"] == [round(creche.point.x, 6), round(creche.point.y, 6)]
    proprietes = fiche["properties"]
    assert (proprietes["nom"], proprietes["type_accueil_libelle"], proprietes["financement_psu"]) == (
        "Crèche A", "Crèche collective", True)
    assert proprietes["horaires"] == [{"jour": "Lundi", "ouverture": "08:00", "fermeture": "18:00"}]


def test_a_fiche_not_public_is_a_404_in_json(client, haute_loire):
    for structure in haute_loire["cachees"]:
        response = client.get(reverse("structures:api_structure", args=[structure.pk]))
        assert response.status_code == 404
        assert response.json() == {"erreur": "Fiche introuvable : elle n'existe pas ou n'est pas publique."}
    assert client.get(f"{API}{2**70}/").status_code == 404


def test_an_assistant_maternel_who_withdraws_consent_leaves_the_listing_and_the_fiche_at_once(client, haute_loire):
    assmat = haute_loire["publiques"][4]
    assert assmat.pk in walk(client, f"{API}?departement=43")[0]
    assert client.get(f"{API}{assmat.pk}/").status_code == 200
    services.set_consent(structure=assmat, consent=False)
    assert assmat.pk not in walk(client, f"{API}?departement=43")[0]
    assert assmat.pk not in walk(client, f"{API}?commune=43157")[0]
    assert client.get(f"{API}{assmat.pk}/").status_code == 404


def test_a_fiche_moved_to_another_commune_is_listed_with_its_new_departement(client, haute_loire):
    rpe = haute_loire["publiques"][3]
    rpe.commune = haute_loire["ailleurs"].commune
    rpe.point = haute_loire["ailleurs"].point
    rpe.save()
    assert rpe.pk not in walk(client, f"{API}?departement=43")[0]
    assert rpe.pk in walk(client, f"{API}?departement=64")[0]


def test_a_search_result_is_written_as_partners_read_it(client, haute_loire):
    """The features of a search are written from plain values (no model instance): the same fields and
    values as the fiche's own feature (/api/structures/<id>/), with the distance."""
    import datetime

    from django.utils import timezone

    le_puy, today, now = haute_loire["le_puy"], timezone.localdate(), timezone.now().replace(microsecond=0)
    creche = StructureFactory(
        creche=True, commune=le_puy, nom="Crèche AVIP", adresse="2 rue des Tables", places_disponibles=3,
        point=point_at_km(le_puy.point, 0.2), disponible_a_partir_du=today + datetime.timedelta(days=40),
        places_mises_a_jour_le=now - datetime.timedelta(days=2), avip_depuis=today - datetime.timedelta(days=30),
        avip_places=10, avip_partenaire="France Travail",
    )
    ancienne = StructureFactory(creche=True, commune=le_puy, point=point_at_km(le_puy.point, 0.3), avip_places=4,
                                avip_depuis=today - datetime.timedelta(days=800),
                                avip_jusqu_au=today - datetime.timedelta(days=400))
    features = {f["properties"]["id"]: f for f in client.get(f"{API}?commune=43157&rubrique=eaje").json()["features"]}
    for structure in (creche, ancienne):
        fiche = client.get(reverse("structures:api_structure", args=[structure.pk])).json()
        trouvee = features[structure.pk]
        assert trouvee["geometry"] == fiche["geometry"]
        assert trouvee["properties"] == {**{k: fiche["properties"][k] for k in trouvee["properties"]},
                                         "distance_km": trouvee["properties"]["distance_km"]}
    assert features[creche.pk]["properties"] == {
        "id": creche.pk, "nom": "Crèche AVIP", "rubrique": "EAJE",
        "rubrique_libelle": "Crèche et autre accueil collectif (EAJE)", "commune": le_puy.nom, "code_insee": "43157",
        "adresse": f"2 rue des Tables, {creche.code_postal} {le_puy.nom}", "distance_km": 0.2,
        "places_disponibles": 3, "places_mises_a_jour_le": (now - datetime.timedelta(days=2)).isoformat(),
        "disponible_a_partir_du": (today + datetime.timedelta(days=40)).isoformat(), "avip": True, "avip_places": 10,
        "url": f"/structures/{creche.pk}/",
    }
    assert (features[ancienne.pk]["properties"]["avip"], features[ancienne.pk]["properties"]["avip_places"]) == (False, None)
