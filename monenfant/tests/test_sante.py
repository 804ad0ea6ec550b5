"""The load balancer's probes (issue 22): /sante/ (the process answers) and /sante/pret/ (this server can serve)."""

import datetime
import json
import socket

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from notifications.models import Notification

# A load balancer probes over plain HTTP on the app port, with its own address as Host.
PROBE = {"HTTP_HOST": "10.0.0.12:8000"}


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.ALLOWED_HOSTS = ["monenfant.example.fr"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.REDIS_URL = ""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ready(client):
    response = client.get("/sante/pret/", **PROBE)
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    return response.status_code, json.loads(response.content)


def test_alive_answers_ok_without_the_database_nor_a_redirect(client):
    """No django_db mark: a query would fail the test, as it would fail when the database is down."""
    response = client.get("/sante/", **PROBE)
    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert client.head("/sante/", **PROBE).status_code == 200
    assert client.post("/sante/", **PROBE).status_code == 405


def test_the_rest_of_the_site_still_redirects_to_https(client):
    assert client.get("/", HTTP_HOST="monenfant.example.fr").status_code == 301


@pytest.mark.django_db
def test_ready_when_everything_answers(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # SELECT 1, the migrations table and its rows, the outbox
        status, body = ready(client)
    assert status == 200
    assert body == {"statut": "pret", "verifications": {"base_de_donnees": "ok", "migrations": "ok", "boite_d_envoi": "ok"}}


@pytest.mark.django_db
def test_database_down_is_named(client, monkeypatch):
    def refused(self, *args, **kwargs):
        raise OperationalError("connection to server at db.interne (10.0.0.3), port 5432 failed")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refused)
        status, body = ready(client)
    assert status == 503 and body["statut"] == "pas pret"
    assert body["verifications"]["base_de_donnees"] == "ne répond pas"
    assert body["verifications"]["migrations"].startswith("non vérifiée")
    assert "base de données : ne répond pas" in body["echecs"]
    assert "10.0.0.3" not in json.dumps(body)  # no error text: it could name a host or a user


@pytest.mark.django_db
def test_redis_configured_but_unreachable_is_named(client, settings):
    settings.REDIS_URL = f"redis://:motdepasse@127.0.0.1:{closed_port()}/0"
    status, body = ready(client)
    assert status == 503
    assert body["verifications"]["redis"] == "ne répond pas"
    assert body["echecs"] == ["Redis : ne répond pas"]
    assert "motdepasse" not in json.dumps(body) and "127.0.0.1" not in json.dumps(body)


@pytest.mark.redis
@pytest.mark.django_db
def test_redis_that_answers_is_ok(client, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    status, body = ready(client)
    assert (status, body["verifications"]["redis"]) == (200, "ok")


@pytest.mark.django_db
def test_an_unapplied_migration_is_named(client, monkeypatch):
    applied = MigrationRecorder.applied_migrations
    latest = max(key for key in applied(MigrationRecorder(connection)) if key[0] == "notifications")

    def all_but_the_latest(self):
        return {key: value for key, value in applied(self).items() if key != latest}

    monkeypatch.setattr(MigrationRecorder, "applied_migrations", all_but_the_latest)
    status, body = ready(client)
    assert status == 503
    assert body["verifications"]["migrations"] == "1 migration(s) non appliquée(s)"
    assert body["echecs"] == ["migrations : 1 migration(s) non appliquée(s)"]


def _email(age_minutes: int, **fields) -> Notification:
    return Notification.objects.create(destinataires="famille@example.fr", sujet="Votre demande", corps="…",
                                       cree_le=timezone.now() - datetime.timedelta(minutes=age_minutes), **fields)


@pytest.mark.django_db
def test_an_email_waiting_more_than_15_minutes_is_named(client):
    _email(10)  # still within the worker's time
    _email(60, envoyee_le=timezone.now())  # sent
    _email(60, echec_le=timezone.now())  # failed for good: a CAF agent's business, not the worker's
    assert ready(client)[0] == 200
    _email(16)
    status, body = ready(client)
    assert status == 503
    assert body["verifications"]["boite_d_envoi"] == "des courriels attendent leur envoi depuis plus de 15 minutes"
    assert body["echecs"] == ["boîte d'envoi des courriels : des courriels attendent leur envoi depuis plus de 15 minutes"]
    assert "famille@example.fr" not in json.dumps(body)


@pytest.mark.django_db
def test_a_failing_probe_is_one_warning_not_an_error(client, settings, caplog):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    ready(client)
    errors = [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert errors == []
    assert any(r.name == "monenfant.sante" and "Redis" in r.getMessage() for r in caplog.records)
