"""AVIP: places kept for parents looking for work or in training, set by the CAF, found by the parents."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from structures.enums import Rubrique
from structures.models import Structure
from structures.selectors import Criteres, avip_par_departement, search_structures
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]
TODAY = timezone.localdate()


@pytest.fixture
def pau():
    return CommuneFactory(code_insee="64445")


def errors_of(structure) -> dict:
    with pytest.raises(ValidationError) as caught:
        structure.full_clean()
    return caught.value.message_dict


def test_the_label_rules_are_said_on_the_field(pau):
    creche = StructureFactory.build(avip=True, commune=pau, capacite=40, avip_places=5)
    assert errors_of(creche)["avip_places"] == ["Une crèche AVIP réserve au moins 20 % de ses places : 8 sur 40."]
    relais = StructureFactory.build(avip=True, commune=pau, rubrique=Rubrique.RPE, type_accueil="", financement_psu=False)
    assert "avip_depuis" in errors_of(relais)
    ended = StructureFactory.build(avip=True, commune=pau, avip_depuis=TODAY - datetime.timedelta(days=30),
                                  avip_jusqu_au=TODAY - datetime.timedelta(days=365))
    assert errors_of(ended)["avip_jusqu_au"] == ["La fin du label AVIP précède son début."]
    orphan = StructureFactory.build(commune=pau, avip_places=3)
    assert "avip_depuis" in errors_of(orphan)
    StructureFactory.build(avip=True, commune=pau, capacite=40, avip_places=8).full_clean()


def test_only_a_label_valid_today_counts(pau):
    current = StructureFactory(avip=True, commune=pau)
    StructureFactory(avip=True, commune=pau, avip_jusqu_au=TODAY - datetime.timedelta(days=1))
    StructureFactory(avip=True, commune=pau, avip_depuis=TODAY + datetime.timedelta(days=30))
    StructureFactory(commune=pau, rubrique=Rubrique.EAJE, type_accueil="collectif")
    assert list(Structure.objects.avip()) == [current]
    assert current.est_avip


def test_the_avip_filter_keeps_only_labelled_solutions_nearest_first(pau):
    # Runs on SpatiaLite and again on PostGIS (make test).
    far = StructureFactory(avip=True, commune=pau, nom="AVIP à 8 km", point=point_at_km(pau.point, 8))
    near = StructureFactory(avip=True, commune=pau, nom="AVIP à 2 km", point=point_at_km(pau.point, 0, 2))
    StructureFactory(avip=True, commune=pau, nom="AVIP à 14 km", point=point_at_km(pau.point, 14))
    StructureFactory(commune=pau, nom="Sans label à 1 km", point=point_at_km(pau.point, 1))

    results = list(search_structures(Criteres(point=pau.point, rayon_km=10, avip=True)))

    assert [s.nom for s in results] == [near.nom, far.nom]


def test_the_api_filters_and_says_avip(client, pau):
    labelled = StructureFactory(avip=True, commune=pau)
    StructureFactory(commune=pau)
    features = client.get("/api/structures/", {"commune": "64445", "avip": "1"}).json()["features"]
    assert [(f["properties"]["id"], f["properties"]["avip"], f["properties"]["avip_places"]) for f in features] == [
        (labelled.pk, True, 10)]
    everything = client.get("/api/structures/", {"commune": "64445"}).json()["features"]
    assert sorted(f["properties"]["avip"] for f in everything) == [False, True]


def test_the_badge_is_written_in_the_list_and_on_the_fiche(client, pau):
    labelled = StructureFactory(avip=True, commune=pau, avip_partenaire="Mission locale de Pau")
    page = client.get("/recherche/", {"code_insee": "64445", "avip": "1"}).content.decode()
    assert "AVIP : places pour parents en recherche d'emploi ou en formation" in page
    fiche = client.get(f"/structures/{labelled.pk}/").content.decode()
    assert "Label AVIP" in fiche and "10 places réservées" in fiche and "Mission locale de Pau" in fiche


def test_the_jobseekers_page_explains_priority_and_lists_the_solutions_around(client, pau):
    near = StructureFactory(avip=True, commune=pau, nom="Multi-accueil Les Pyrénées", point=point_at_km(pau.point, 3))
    StructureFactory(avip=True, commune=pau, nom="Trop loin", point=point_at_km(pau.point, 40))
    StructureFactory(commune=pau, nom="Sans label")
    html = client.get("/recherche-d-emploi/", {"code_insee": "64445"}).content.decode()
    assert "bénéficiaires du RSA" in html and "moins de 25 ans sans diplôme" in html
    assert near.nom in html and "Trop loin" not in html and "Sans label" not in html
    home = client.get("/").content.decode()
    assert "Vous cherchez un emploi ou suivez une formation ?" in home and "/recherche-d-emploi/" in home
    bad = client.get("/recherche-d-emploi/", {"commune": "Xyzzyville"})
    assert bad.status_code == 400 and "Aucune commune ne correspond" in bad.content.decode()


def test_avip_counts_per_departement_for_the_caf(pau):
    StructureFactory(avip=True, commune=pau, avip_places=10)
    StructureFactory(avip=True, commune=pau, avip_places=12, capacite=60)
    StructureFactory(avip=True, commune=CommuneFactory(code_insee="43157"), avip_places=9)
    rows = {r["commune__departement"]: (r["solutions"], r["places"]) for r in avip_par_departement()}
    assert rows == {"43": (1, 9), "64": (2, 22)}
    assert [r["commune__departement"] for r in avip_par_departement({"43"})] == ["43"]
