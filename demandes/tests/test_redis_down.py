"""Nothing lost: with Redis stopped a family still sends its demande; the emails leave once Redis is back, once."""

import datetime
import os
import shutil
import subprocess
import time
import urllib.parse
from types import SimpleNamespace

import pytest
import redis
from django.core import mail
from django.utils import timezone

from demandes.models import Demande
from demandes.tests.test_demande import go_through
from monenfant.tests.horloge import real_clock_environ
from notifications.models import Notification
from notifications.tasks import flush_outbox, send_notification

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait(condition, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.fixture
def stoppable_redis(settings):
    """The suite's Redis server, stopped and started again on the same port; always left running."""
    assert settings.REDIS_URL and os.environ.get("TEST_REDIS_PIDFILE"), "make test fournit REDIS_URL et TEST_REDIS_PIDFILE"
    url = urllib.parse.urlsplit(settings.REDIS_URL)
    server = redis.Redis(host=url.hostname, port=url.port, socket_timeout=2)

    def up() -> bool:
        try:
            return server.ping()
        except redis.ConnectionError:
            return False

    def stop():
        try:
            server.shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it goes
        _wait(lambda: not up(), "Redis ne s'est pas arrêté")

    def start():
        command = [shutil.which("redis-server"), "--bind", url.hostname, "--port", str(url.port), "--save", "",
                   "--appendonly", "no", "--daemonize", "yes", "--pidfile", os.environ["TEST_REDIS_PIDFILE"]]
        subprocess.run(command, check=True, env=real_clock_environ())  # noqa: S603 (the suite's own server, same arguments as run-tests.sh)
        _wait(up, "Redis n'a pas redémarré")

    yield SimpleNamespace(stop=stop, start=start)
    if not up():
        start()


def test_with_redis_stopped_a_family_sends_and_the_emails_go_once_redis_is_back(client, velay, stoppable_redis):
    from celery.contrib.testing.worker import start_worker

    from monenfant.celery import app

    stoppable_redis.stop()
    go_through(client)
    started = time.monotonic()
    response = client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    assert time.monotonic() - started < 5, "the family does not wait for Redis"

    demande = Demande.objects.get()
    assert response["Location"] == f"/demande-information/confirmation/{demande.reference}/"
    assert mail.outbox == []
    pending = Notification.objects.filter(envoyee_le__isnull=True)
    assert pending.count() == 2, "the family's email and the LINF's wait in the outbox"

    stoppable_redis.start()
    # Time passes: the periodic task takes rows still pending after two minutes.
    pending.update(cree_le=timezone.now() - datetime.timedelta(minutes=3))
    with start_worker(app, pool="solo", perform_ping_check=False):
        assert flush_outbox.delay().get(timeout=30) == 2
        _wait(lambda: not pending.exists(), "les courriels en attente ne sont pas partis")
        # A task delivered twice, or the next periodic run, sends nothing again.
        again = [send_notification.apply_async([pk], ignore_result=False) for pk in Notification.objects.values_list("pk", flat=True)]
        assert [result.get(timeout=30) for result in again] == [False, False]
        assert flush_outbox.delay().get(timeout=30) == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["julie@pif43.example.fr", "sarah.martin@example.fr"]
    family = next(m for m in mail.outbox if m.to == ["sarah.martin@example.fr"])
    assert demande.reference in family.body
