"""The usage counters (compteurs/) with the events of other apps than structures: a count goes to the
database at once without Redis, quickly when Redis does not answer, and on the day of French time."""

import datetime

import pytest
import time_machine

from compteurs import usage
from guide.enums import EvenementUsage as EvenementGuide
from monenfant.tests.horloge import JOUR_DES_TESTS
from simulateur.enums import EvenementUsage as EvenementSimulateur
from structures.models import CompteurUsage
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def test_without_redis_a_count_goes_to_the_database_at_once(settings, le_puy):
    settings.REDIS_URL = ""
    usage.count(EvenementSimulateur.SIMULATION)
    usage.count(EvenementSimulateur.SIMULATION)
    assert CompteurUsage.objects.get(evenement=EvenementSimulateur.SIMULATION).nombre == 2


def test_redis_unreachable_the_count_goes_to_the_database_quickly(settings, le_puy):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    started = datetime.datetime.now()
    usage.count(EvenementGuide.PAGE_GUIDE_LUE, cle="choisir-un-mode-d-accueil")
    assert (datetime.datetime.now() - started).total_seconds() < 2
    assert CompteurUsage.objects.get(cle="choisir-un-mode-d-accueil").nombre == 1


def test_counts_are_per_day_in_french_time(settings, le_puy):
    settings.REDIS_URL = ""
    with time_machine.travel(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC), tick=False):
        usage.count(EvenementSimulateur.SIMULATION)  # 00:30 in Paris: 2 March
    assert CompteurUsage.objects.get().jour == datetime.date(2026, 3, 2)
