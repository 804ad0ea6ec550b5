"""No count lost under concurrent requests: direct on the embedded database, buffered then flushed with Redis."""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.db import connection

from compteurs import usage
from structures.enums import EvenementUsage
from structures.models import CompteurUsage
from structures.tests.factories import StructureFactory

THREADS, REQUESTS = 8, 25


def _hammer(url: str) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def run():
        start.wait()  # all threads at once
        for _ in range(REQUESTS):
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (the live server)
                response.read()
                with lock:
                    statuses.append(response.status)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _views(fiche) -> int:
    return sum(CompteurUsage.objects.filter(evenement=EvenementUsage.FICHE_VUE, structure=fiche)
               .values_list("nombre", flat=True))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_on_the_embedded_database_add_up_exactly(tmp_path):
    """The embedded default as `make run` serves it: a SpatiaLite file, a threaded server, no Redis.

    (The suite's in-memory SQLite cannot take concurrent writers: its shared cache answers "table
    locked" at once instead of waiting. So this test has its own file and its own server: the test
    database, already migrated, copied into the file with SQLite's online backup.)
    """
    connection.ensure_connection()
    copie = sqlite3.connect(tmp_path / "db.sqlite3")
    connection.connection.backup(copie)
    copie.close()
    env = {**os.environ, "DATABASE_URL": f"spatialite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": "",
           "POSTGIS_COMPARE_URL": "", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    manage = [sys.executable, "manage.py"]
    created = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", "from structures.tests.factories import StructureFactory;"
                                 "print(StructureFactory(creche=True).pk)"],
        env=env, check=True, capture_output=True, text=True,
    )
    pk = int(created.stdout.split()[-1])
    port = _free_port()
    server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "le serveur n'a pas démarré"
                time.sleep(0.2)
        statuses = _hammer(f"http://127.0.0.1:{port}/structures/{pk}/")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses == [200] * THREADS * REQUESTS
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        rows = db.execute("SELECT nombre FROM structures_compteurusage WHERE evenement = 'fiche_vue' AND structure_id = ?",
                          (pk,)).fetchall()
    assert rows == [(THREADS * REQUESTS,)], "one row, every view counted"


@pytest.mark.postgis
@pytest.mark.django_db(transaction=True)
def test_concurrent_views_written_directly_on_postgresql_add_up_exactly(live_server, settings):
    """Redis unreachable in production: every app server writes its counts to PostgreSQL directly."""
    if connection.vendor != "postgresql":
        pytest.skip("SpatiaLite : voir test_concurrent_views_on_the_embedded_database_add_up_exactly")
    settings.REDIS_URL = ""
    fiche = StructureFactory(nom="Les Lutins", creche=True)
    statuses = _hammer(f"{live_server.url}/structures/{fiche.pk}/")
    assert statuses == [200] * THREADS * REQUESTS
    assert _views(fiche) == THREADS * REQUESTS
    assert CompteurUsage.objects.filter(structure=fiche).count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_concurrent_views_buffered_in_redis_reach_the_database_with_the_periodic_flush(live_server, settings):
    from celery.contrib.testing.worker import start_worker

    from compteurs.tasks import flush_usage
    from monenfant.celery import app

    assert settings.REDIS_URL, "make test fournit REDIS_URL pour ce test"
    fiche = StructureFactory(nom="Les Lutins", creche=True)
    statuses = _hammer(f"{live_server.url}/structures/{fiche.pk}/")
    assert statuses == [200] * THREADS * REQUESTS
    assert _views(fiche) == 0, "buffered: no request wrote to the database"

    with start_worker(app, pool="solo", perform_ping_check=False):
        # Each view counts twice: for the fiche, and for its département's and rubrique's total.
        assert flush_usage.delay().get(timeout=30) == 2 * THREADS * REQUESTS
        assert _views(fiche) == THREADS * REQUESTS
        # Nothing left: the next run moves nothing and counts nothing twice.
        assert flush_usage.delay().get(timeout=30) == 0
    assert _views(fiche) == THREADS * REQUESTS


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_batch_left_by_a_crashed_flush_is_moved_first_and_new_counts_after(settings):
    assert settings.REDIS_URL, "make test fournit REDIS_URL pour ce test"
    fiche = StructureFactory()
    usage.count(EvenementUsage.FICHE_VUE, structure=fiche, departement="43")
    usage.count(EvenementUsage.FICHE_VUE, structure=fiche, departement="43")
    client = usage._redis(usage.FLUSH_TIMEOUT)
    client.rename(usage.BUFFER_KEY, usage.PROCESSING_KEY)  # a flush died after its RENAME
    usage.count(EvenementUsage.FICHE_VUE, structure=fiche, departement="43")
    assert usage.flush() == 3
    assert _views(fiche) == 3
    assert not client.exists(usage.BUFFER_KEY) and not client.exists(usage.PROCESSING_KEY)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_one_flush_at_a_time(settings):
    assert settings.REDIS_URL, "make test fournit REDIS_URL pour ce test"
    fiche = StructureFactory()
    usage.count(EvenementUsage.FICHE_VUE, structure=fiche)
    client = usage._redis(usage.FLUSH_TIMEOUT)
    running = client.lock(usage.LOCK_KEY, timeout=60)
    assert running.acquire(blocking=False)
    assert usage.flush() == 0, "another flush holds the lock: this one leaves the buffer alone"
    running.release()
    assert usage.flush() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_views_of_a_fiche_deleted_before_the_flush_go_with_it(settings):
    assert settings.REDIS_URL, "make test fournit REDIS_URL pour ce test"
    gone, kept = StructureFactory(), StructureFactory()
    usage.count(EvenementUsage.FICHE_VUE, structure=gone)
    usage.count(EvenementUsage.FICHE_VUE, structure=kept)
    gone.delete()  # a duplicate removed by the CNAF
    assert usage.flush() == 2
    assert list(CompteurUsage.objects.values_list("structure", "nombre")) == [(kept.pk, 1)]
    assert usage.flush() == 0, "the batch is done, not stuck"
