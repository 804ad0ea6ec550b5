"""The same searches on SpatiaLite and on PostGIS give the same structures in the same order."""

import random

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from structures.models import Commune, Departement, Structure
from structures.selectors import Criteres, search_structures
from structures.tests.factories import point_at_km

pytestmark = [pytest.mark.compare, pytest.mark.django_db(databases=["default", "postgis"])]


def test_same_results_in_the_same_order_on_both_backends():
    assert "postgis" in settings.DATABASES, "POSTGIS_COMPARE_URL doit désigner un PostGIS (make test le fait)"
    rng = random.Random(7)
    for alias in ("default", "postgis"):
        departement = Departement.objects.using(alias).create(code="43", nom="Haute-Loire")
        Commune.objects.using(alias).create(
            code_insee="43157", nom="Le Puy-en-Velay", nom_normalise="le puy en velay", departement=departement,
            codes_postaux="43000", point=Point(3.89535229067, 45.0276366659, srid=4326),
        )
    rng_points = [(rng.uniform(-40, 40), rng.uniform(-40, 40)) for _ in range(400)]
    for alias in ("default", "postgis"):
        commune = Commune.objects.using(alias).get()
        for i, (east, north) in enumerate(rng_points):
            Structure(
                pk=i + 1, rubrique=["EAJE", "RPE", "ASSMAT"][i % 3], nom=f"S{i}", commune=commune,
                code_postal="43000", adresse="x", point=point_at_km(commune.point, east, north),
                places_disponibles=i % 4, type_accueil="collectif" if i % 3 == 0 else "",
            ).save(using=alias)
    origins = [point_at_km(Commune.objects.get().point, e, n) for e, n in [(0, 0), (10, -5), (-20, 15), (30, 30)]]
    searches = [
        Criteres(point=origin, rayon_km=rayon, rubriques=rubriques, places_disponibles=places)
        for origin in origins
        for rayon in (5, 10, 25, 50)
        for rubriques, places in ((["EAJE"], False), ([], True), (["RPE", "ASSMAT"], False))
    ]
    total = 0
    for criteres in searches:
        spatialite = [(s.pk, round(s.distance_km * 1000, 3)) for s in search_structures(criteres, using="default")]
        postgis = [(s.pk, round(s.distance_km * 1000, 3)) for s in search_structures(criteres, using="postgis")]
        assert spatialite == postgis, f"différence pour {criteres}"
        # A page's worth: PostGIS bounds the search by its index's walk in distance order (KNN).
        premiers = [(s.pk, round(s.distance_km * 1000, 3))
                    for s in search_structures(criteres, using="postgis", premiers=7)[:7]]
        assert premiers == spatialite[:7], f"différence des 7 premiers pour {criteres}"
        total += len(spatialite)
    assert total > 1000, "les recherches doivent trouver des structures pour que la comparaison ait un sens"
