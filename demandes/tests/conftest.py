import datetime

import pytest

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from linf.models import ContratCafCnaf, Guichet
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory


def open_linf(nom, commune, *served, person_email):
    linf = StructureFactory(nom=nom, rubrique=Rubrique.LINF, commune=commune)
    linf.communes_desservies.set([commune, *served])
    Guichet.objects.create(structure=linf, ouvert=True, delai_traitement_jours=5)
    ContratCafCnaf.objects.get_or_create(
        departement_id=commune.departement_id, defaults={"signe_le": datetime.date(2026, 1, 5), "actif": True}
    )
    person = make_person(Role.LINF, structure=linf, email=person_email)
    return linf, person


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def velay():
    """Le Puy served by an open LINF; Yssingeaux served by nobody online."""
    le_puy, espaly = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="43089")
    CommuneFactory(code_insee="43268")
    linf, person = open_linf("PIF du Velay", le_puy, espaly, person_email="julie@pif43.example.fr")
    StructureFactory(nom="Relais des Sucs", rubrique=Rubrique.RPE, commune=CommuneFactory(code_insee="43268"),
                     telephone="04 71 59 00 00")
    return {"le_puy": le_puy, "linf": linf, "person": person}
