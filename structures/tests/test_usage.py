"""Usage counters: what the public pages count, and that counting never hurts a request."""

from unittest import mock

import pytest

from compteurs import usage
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import EvenementUsage, Rubrique
from structures.models import CompteurUsage
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km
from structures.tests.usage_helpers import counted

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def test_each_view_of_a_fiche_counts_for_that_fiche_and_its_departement(client, le_puy):
    a = StructureFactory(nom="Les Lutins", creche=True)
    b = StructureFactory(nom="Les Petits Pas", creche=True)
    for _ in range(3):
        assert client.get(f"/structures/{a.pk}/").status_code == 200
    client.get(f"/structures/{b.pk}/")
    assert counted(EvenementUsage.FICHE_VUE, structure=a) == 3
    assert counted(EvenementUsage.FICHE_VUE, structure=b) == 1
    assert counted(EvenementUsage.FICHE_VUE, departement="43", structure=None, rubrique="EAJE") == 4
    assert CompteurUsage.objects.filter(structure=a).count() == 1, "one row per fiche and day, added to"


def test_what_is_not_shown_is_not_counted(client, le_puy):
    closed = StructureFactory(fermee=True)
    fiche = StructureFactory()
    assert client.get(f"/structures/{closed.pk}/").status_code == 404
    assert client.head(f"/structures/{fiche.pk}/").status_code == 405
    assert client.post(f"/structures/{fiche.pk}/").status_code == 405
    assert client.get("/recherche/", {"commune": "Nulle-Part"}).status_code == 400
    assert client.get("/api/structures/", {"commune": "99999"}).status_code == 400
    assert client.get("/recherche/").status_code == 200  # the empty form is not a search
    assert CompteurUsage.objects.count() == 0 and usage.flush() == 0


def test_a_search_counts_once_per_rubrique_with_the_departement_searched(client, le_puy):
    CommuneFactory(code_insee="64445")
    StructureFactory(creche=True, point=point_at_km(le_puy.point, 1))
    client.get("/recherche/", {"code_insee": "43157", "rubrique": "EAJE"})
    client.get("/recherche/", {"commune": "le puy", "rubrique": ["EAJE", "RPE"]})
    client.get("/api/structures/", {"commune": "43157", "rubrique": "eaje"})
    client.get("/api/structures/", {"commune": "64445"})
    client.get("/api/structures/", {"lat": "45.03", "lon": "3.89", "rubrique": "LAEP"})
    assert counted(EvenementUsage.RECHERCHE, departement="43", rubrique=Rubrique.EAJE) == 3
    assert counted(EvenementUsage.RECHERCHE, departement="43", rubrique=Rubrique.RPE) == 1
    assert counted(EvenementUsage.RECHERCHE, departement="64", rubrique="") == 1
    assert counted(EvenementUsage.RECHERCHE, departement=None, rubrique=Rubrique.LAEP) == 1
    assert counted(EvenementUsage.RECHERCHE) == 6


def test_the_next_pages_of_results_are_the_same_search(client, le_puy):
    for km in range(25):
        StructureFactory(point=point_at_km(le_puy.point, km / 10))
    client.get("/recherche/", {"code_insee": "43157"})
    client.get("/recherche/", {"code_insee": "43157", "page": 2})
    assert counted(EvenementUsage.RECHERCHE) == 1


def test_a_count_never_breaks_the_page(client, le_puy, caplog, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # Redis unreachable, and then the database fails too
    fiche = StructureFactory()
    with mock.patch.object(usage.counters, "add", side_effect=RuntimeError("disque plein")):
        assert client.get(f"/structures/{fiche.pk}/").status_code == 200
    assert "Compteur d'usage non enregistré" in caplog.text
