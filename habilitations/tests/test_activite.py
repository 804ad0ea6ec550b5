"""Connection control: logins and failures are counted per person and month, as they happen."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from habilitations import activite
from habilitations.models import ActiviteMensuelle
from habilitations.tests.factories import PASSWORD, UserFactory
from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
PARIS = ZoneInfo("Europe/Paris")


def counts(user) -> dict:
    return {
        f"{a.mois:%Y-%m}": (a.connexions, a.echecs, a.demandes_ouvertes, a.demandes_exportees)
        for a in ActiviteMensuelle.objects.filter(user=user)
    }


def test_record_adds_to_the_month_of_the_paris_clock():
    person = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 10, 31, 23, 30, tzinfo=PARIS), tick=False):
        activite.record(person, activite.DEMANDES_EXPORTEES, 2)
    # 00:30 in Paris on 1 November is still 31 October in UTC: it counts for November.
    with time_machine.travel(datetime.datetime(2026, 11, 1, 0, 30, tzinfo=PARIS), tick=False):
        activite.record(person, activite.DEMANDES_EXPORTEES, 3)
        activite.record(person, activite.DEMANDES_OUVERTES)
        activite.record(person, activite.DEMANDES_OUVERTES)
    assert counts(person) == {"2026-10": (0, 0, 0, 2), "2026-11": (0, 0, 2, 3)}
    assert ActiviteMensuelle.objects.get(user=person, mois=datetime.date(2026, 11, 1)).mois.day == 1
    with pytest.raises(ValueError):
        activite.record(person, "pages_vues")


def test_logins_and_failures_typed_in_the_login_form(client):
    person = UserFactory(email="julie.roche@pif43.example.fr")
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)):
        assert client.post("/pro/connexion/", {"username": "julie.roche@pif43.example.fr", "password": PASSWORD}).status_code == 302
        client.logout()
        assert client.post("/pro/connexion/", {"username": "Julie.Roche@PIF43.example.fr", "password": "oubli"}).status_code == 200
        assert client.post("/pro/connexion/", {"username": "Julie.Roche@pif43.example.fr", "password": PASSWORD}).status_code == 302
        client.logout()
        # An unknown address counts for nobody.
        assert client.post("/pro/connexion/", {"username": "inconnu@example.fr", "password": "x"}).status_code == 200
    assert counts(person) == {"2026-11": (2, 1, 0, 0)}
    assert ActiviteMensuelle.objects.count() == 1


def test_a_withdrawn_person_trying_to_log_in_is_a_failure(client):
    person = UserFactory(email="ancien@pif43.example.fr", is_active=False)
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)):
        assert client.post("/pro/connexion/", {"username": person.email, "password": PASSWORD}).status_code == 200
    assert counts(person) == {"2026-11": (0, 1, 0, 0)}


def test_attempts_during_a_lockout_are_failures(client, settings):
    person = UserFactory(email="julie.roche@pif43.example.fr")
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=PARIS)):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/pro/connexion/", {"username": person.email, "password": "oubli"})
        locked = client.post("/pro/connexion/", {"username": person.email, "password": PASSWORD})
    assert locked.status_code == 429, "verrouillé : même le bon mot de passe est refusé"
    assert counts(person) == {"2026-11": (0, settings.AXES_FAILURE_LIMIT + 1, 0, 0)}


@pytest.mark.postgis
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a real server")
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_events_of_a_month_lose_no_count():
    person = UserFactory()
    barrier = threading.Barrier(8)
    errors = []

    def login():
        try:
            barrier.wait()
            activite.record(person, activite.CONNEXIONS)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=login) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ActiviteMensuelle.objects.get(user=person).connexions == 8
