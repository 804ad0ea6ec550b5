"""Geolocated search, through the selector and the public API (the same rules on both backends)."""

import pytest
from django.db import connection

from structures.enums import Rubrique
from structures.selectors import Criteres, search_structures
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def test_results_are_nearest_first_with_their_distance(le_puy):
    far = StructureFactory(nom="À 8 km", point=point_at_km(le_puy.point, 8))
    near = StructureFactory(nom="À 1 km", point=point_at_km(le_puy.point, 0, 1))
    middle = StructureFactory(nom="À 4 km", point=point_at_km(le_puy.point, -4))
    StructureFactory(nom="À 12 km", point=point_at_km(le_puy.point, 12))

    results = list(search_structures(Criteres(point=le_puy.point, rayon_km=10)))

    assert [s.nom for s in results] == [near.nom, middle.nom, far.nom]
    assert [round(s.distance_km, 1) for s in results] == [1.0, 4.0, 8.0]


def test_the_radius_is_a_circle_not_a_box(le_puy):
    # 9 km east and 9 km north is 12.7 km away: inside the bounding box, outside the circle.
    StructureFactory(point=point_at_km(le_puy.point, 9, 9))
    assert not search_structures(Criteres(point=le_puy.point, rayon_km=10)).exists()


def test_closed_fiches_are_not_found(le_puy):
    StructureFactory(fermee=True)
    assert not search_structures(Criteres(point=le_puy.point)).exists()


def test_filters(le_puy):
    creche = StructureFactory(creche=True, age_min_mois=3, age_max_mois=36, accueil_handicap=True)
    complete = StructureFactory(creche=True, complete=True, horaires_atypiques=True)
    samedi = StructureFactory(ouverte_le_samedi=True, age_min_mois=12)
    base = {"point": le_puy.point}

    def names(**criteres):
        return {s.nom for s in search_structures(Criteres(**base, **criteres))}

    assert names(rubriques=["EAJE"]) == {creche.nom, complete.nom}
    assert names(age_mois=6) == {creche.nom, complete.nom}
    assert names(age_mois=48) == {complete.nom, samedi.nom}
    assert names(places_disponibles=True) == {creche.nom, samedi.nom}
    assert names(accueil_handicap=True) == {creche.nom}
    assert names(horaires_atypiques=True) == {complete.nom}
    assert names(ouvert_samedi=True) == {samedi.nom}


def test_search_goes_through_the_spatial_index(le_puy):
    StructureFactory()
    queryset = search_structures(Criteres(point=le_puy.point))
    if connection.vendor == "postgresql":
        # ST_DWithin on the geography column is what the GiST index serves.
        assert "ST_DWithin" in str(queryset.query)
        assert queryset.count() == 1
        return
    assert "idx_structures_structure_point" in str(queryset.query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM idx_structures_structure_point")
        assert cursor.fetchone()[0] == 1, "l'index spatial doit contenir la fiche créée"
    assert queryset.count() == 1


class TestApi:
    url = "/api/structures/"

    def test_geojson_nearest_first(self, client, le_puy):
        StructureFactory(nom="Loin", creche=True, point=point_at_km(le_puy.point, 5))
        StructureFactory(nom="Près", creche=True, point=point_at_km(le_puy.point, 1), places_disponibles=3)
        StructureFactory(nom="Relais", rubrique=Rubrique.RPE, point=point_at_km(le_puy.point, 2))

        data = client.get(self.url, {"commune": "43157", "rubrique": "eaje"}).json()

        assert data["type"] == "FeatureCollection"
        props = [f["properties"] for f in data["features"]]
        assert [p["nom"] for p in props] == ["Près", "Loin"]
        assert props[0]["distance_km"] == pytest.approx(1, abs=0.05)
        assert props[0]["places_disponibles"] == 3
        assert props[0]["commune"] == "Le Puy-en-Velay"
        assert set(props[0]) >= {"id", "nom", "rubrique", "commune", "distance_km", "places_disponibles"}

    def test_rubriques_are_case_insensitive_comma_separated_and_ram_means_rpe(self, client, le_puy):
        StructureFactory(nom="Relais", rubrique=Rubrique.RPE)
        StructureFactory(nom="Crèche", creche=True)
        StructureFactory(nom="Loisirs", rubrique=Rubrique.ALSH)
        data = client.get(self.url, {"commune": "43157", "rubrique": "Ram,EAJE"}).json()
        assert {f["properties"]["nom"] for f in data["features"]} == {"Relais", "Crèche"}

    def test_lat_lon_instead_of_commune(self, client, le_puy):
        StructureFactory(nom="Ici", point=point_at_km(le_puy.point, 3))
        origin = point_at_km(le_puy.point, 3)
        data = client.get(self.url, {"lat": origin.y, "lon": origin.x, "rayon_km": 1}).json()
        assert [f["properties"]["nom"] for f in data["features"]] == ["Ici"]

    @pytest.mark.parametrize(
        "params, message",
        [
            ({}, "Indiquez un département, une commune"),
            ({"commune": "99999"}, "Commune inconnue"),
            ({"commune": "43157", "rayon_km": "0"}, "entre 1 et 50 km"),
            ({"commune": "43157", "rayon_km": "51"}, "entre 1 et 50 km"),
            ({"commune": "43157", "rayon_km": "nan"}, "entre 1 et 50 km"),
            ({"commune": "43157", "rayon_km": "dix"}, "nombre de kilomètres"),
            ({"lat": "45,0x", "lon": "3.9"}, "nombres décimaux"),
            ({"lat": "51.5", "lon": "-0.12"}, "pas en France"),
            ({"commune": "43157", "rubrique": "CRECHE"}, "Rubrique inconnue"),
            ({"commune": "43157", "age_mois": "-1"}, "entre 0 et 216"),
            ({"commune": "43157", "limite": "100000"}, "limite"),
            ({"commune": "43157' OR 1=1 --"}, "Commune inconnue"),
            ({"commune": "<script>alert(1)</script>"}, "Commune inconnue"),
            ({"commune": "4315\x00"}, "Commune inconnue"),
            ({"lat": "45\x00", "lon": "3.9"}, "nombres décimaux"),
        ],
    )
    def test_bad_parameters_answer_400_with_a_french_message(self, client, le_puy, params, message):
        response = client.get(self.url, params)
        assert response.status_code == 400
        assert message in response.json()["erreur"]

    def test_communes_autocomplete_by_name_and_postal_code(self, client, le_puy):
        CommuneFactory(code_insee="43089")
        by_name = client.get("/api/communes/", {"q": "le puy"}).json()["communes"]
        assert by_name[0]["code_insee"] == "43157"
        assert by_name[0]["libelle"] == "Le Puy-en-Velay (43000)"
        by_code = client.get("/api/communes/", {"q": "43000"}).json()["communes"]
        assert [c["nom"] for c in by_code] == ["Le Puy-en-Velay", "Espaly-Saint-Marcel"]
        assert client.get("/api/communes/", {"q": "l"}).status_code == 400
        assert client.get("/api/communes/", {"q": "le\x00 puy"}).json()["communes"][0]["code_insee"] == "43157"


def test_the_first_n_are_those_of_the_whole_search_ties_by_id(le_puy):
    """`premiers=n` (on PostGIS, the GiST index's walk in distance order bounds the search) gives the first n
    of the whole search, in the same order: equal distances by id, at every cut, after every cursor."""
    import random

    from structures.selectors import Curseur

    rng = random.Random(11)
    for i in range(120):
        # Clusters of fiches at the same point, and a few beyond the radius.
        east, north = (rng.choice([0.5, 2, 2, 6]), 0) if i % 3 == 0 else (rng.uniform(-12, 12), rng.uniform(-12, 12))
        StructureFactory(rubrique=[Rubrique.EAJE, Rubrique.ASSMAT, Rubrique.RPE][i % 3], commune=le_puy,
                         point=point_at_km(le_puy.point, east, north), creche=i % 3 == 0)
    for origin in (le_puy.point, point_at_km(le_puy.point, 2, 0), point_at_km(le_puy.point, 30, 0)):
        for criteres in (Criteres(point=origin), Criteres(point=origin, rubriques=[Rubrique.EAJE]),
                         Criteres(point=origin, rubriques=[Rubrique.ASSMAT, Rubrique.RPE], rayon_km=5)):
            whole = [(s.pk, s.distance_km) for s in search_structures(criteres)]
            for n in (1, 2, 7, 40, 500):
                assert [(s.pk, s.distance_km) for s in search_structures(criteres, premiers=n)[:n]] == whole[:n]
            for start in range(0, len(whole), 9):
                apres = Curseur(whole[start][0], whole[start][1])
                page = [(s.pk, s.distance_km) for s in search_structures(criteres, premiers=5, apres=apres)[:5]]
                assert page == whole[start + 1:start + 6]


def test_the_api_reuses_a_compiled_search_with_another_origin_and_cursor(le_puy):
    """PostGIS: the API compiles the SQL of a search once per set of filters and runs it again with each
    origin and cursor. Compiled for one origin and given another's values, it is the SQL of the other.
    (SpatiaLite compiles each search: its R*Tree box is not named.)"""
    from structures import selectors
    from structures.selectors import Curseur, page_de_structures, valeurs_nommees

    for i in range(30):
        StructureFactory(commune=le_puy, point=point_at_km(le_puy.point, i % 7, i % 5))
    origins = [le_puy.point, point_at_km(le_puy.point, 5, 3), point_at_km(le_puy.point, -2, 4)]
    for apres in (None, Curseur(7, 1.5)) if connection.vendor == "postgresql" else ():
        compiled = [search_structures(Criteres(point=o, rubriques=[Rubrique.ASSMAT]), premiers=4, apres=apres)
                    .values(*selectors.CHAMPS_RESULTAT, "distance_km")[:4].query.sql_with_params() for o in origins]
        for origin, (sql, params) in zip(origins, compiled, strict=True):
            valeurs = valeurs_nommees(origin, apres)
            reused = [valeurs[p.nom] if getattr(p, "nom", "") else p for p in compiled[0][1]]
            assert (sql, list(params)) == (compiled[0][0], reused)
    for origin in origins:  # through the API's cache: the same pages as the search itself
        criteres = Criteres(point=origin, rubriques=[Rubrique.ASSMAT])
        whole = [s.pk for s in search_structures(criteres)]
        pages, apres = [], None
        while True:
            lignes, apres = page_de_structures(criteres, apres=apres, limite=4)
            pages += [ligne["pk"] for ligne in lignes]
            if apres is None:
                break
        assert pages == whole
