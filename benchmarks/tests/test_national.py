"""The national-scale generator (for benchmarks) fills every column and gives searchable fiches."""

import pytest

from benchmarks.national import generate
from structures.enums import Rubrique
from structures.models import Structure
from structures.selectors import Criteres, search_structures
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgis]  # SpatiaLite rebuilds its spatial index


def test_a_small_national_directory_is_generated_and_found_by_search():
    le_puy = CommuneFactory(code_insee="43157")
    CommuneFactory(code_insee="43089")

    assert generate(total=2_735) == 2_735

    counts = {r: Structure.objects.filter(rubrique=r).count() for r in Rubrique.values}
    assert counts[Rubrique.ASSMAT] == 2_400 and counts[Rubrique.EAJE] == 120
    assert Structure.objects.published().filter(rubrique=Rubrique.ASSMAT).count() == 2_400, "generated with consent"
    assert search_structures(Criteres(point=le_puy.point, rayon_km=10, rubriques=[Rubrique.ASSMAT])).count() == 2_400
    assert generate(total=2_735) == 2_735 and Structure.objects.count() == 2_735, "a new run replaces the last one"
