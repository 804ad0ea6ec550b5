"""The outbox against real SMTP servers on loopback: a relay that hangs holds no lock and no request, a relay
that refuses ends in "en échec" with its reason, and a worker killed after the relay accepted a message is the
one window in which an email goes twice."""

import datetime
import multiprocessing
import os
import signal
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import BAIL, envoyer, flush_outbox, message_id, send_notification
from notifications.tests.smtp import ServeurSMTP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgis]


def _row(**fields) -> Notification:
    return Notification.objects.create(**{"destinataires": "famille@example.fr", "sujet": "Essai", "corps": "Bonjour",
                                          **fields})


def _send_then_close(pk: int) -> None:
    try:
        envoyer(pk)
    finally:
        connection.close()  # this thread's own connection


def test_a_hung_relay_holds_no_lock_and_gives_up_after_its_timeout():
    notification = _row()
    with ServeurSMTP("muet") as relay, override_settings(**relay.settings(timeout=2)):
        started = time.monotonic()
        worker = threading.Thread(target=_send_then_close, args=[notification.pk])
        worker.start()
        while relay.connexions == 0 and time.monotonic() - started < 5:
            time.sleep(0.05)
        # While the worker waits for the relay, the row is free: another connection locks it at once.
        with transaction.atomic():
            locked = Notification.objects.select_for_update(nowait=True).get(pk=notification.pk)
            assert locked.envoi_commence_le is not None, "the lease is taken"
        worker.join(10)
    assert time.monotonic() - started < 6, "EMAIL_TIMEOUT bounds the wait"
    notification.refresh_from_db()
    assert notification.envoyee_le is None and notification.envoi_commence_le is None and notification.echec_le is None
    assert "timed out" in notification.derniere_erreur and notification.tentatives == 1


def test_the_sweep_leaves_a_retry_to_its_backoff_and_takes_it_if_the_broker_lost_it():
    notification = _row(cree_le=timezone.now() - datetime.timedelta(minutes=10))
    with ServeurSMTP("muet") as relay, override_settings(**relay.settings(timeout=1)):
        assert envoyer(notification.pk).envoye is False
    notification.refresh_from_db()
    attente = notification.prochain_essai_le - timezone.now()
    assert datetime.timedelta(seconds=50) < attente <= datetime.timedelta(seconds=60), "first retry in a minute"
    assert flush_outbox() == 0, "the broker's retry is due: the sweep does not undo the backoff"
    # The retry was due three minutes ago and nothing came (Redis restarted empty): the sweep takes it.
    Notification.objects.filter(pk=notification.pk).update(
        prochain_essai_le=timezone.now() - datetime.timedelta(minutes=3))
    assert flush_outbox() == 1


def test_a_family_does_not_wait_for_a_hung_relay_when_a_worker_sends():
    """With a broker (production), the event only writes the outbox and queues a task: SMTP is the worker's."""
    conf = send_notification.app.conf
    eager = conf.task_always_eager
    conf.update(task_always_eager=False)
    try:
        with ServeurSMTP("muet") as relay, override_settings(**relay.settings(timeout=5)):
            started = time.monotonic()
            with transaction.atomic():
                notify(to=["famille@example.fr"], sujet="Essai", template="demandes/emails/accuse_traitement.txt",
                       context={"demande": {"reference": "DI-TEST"}})
            assert time.monotonic() - started < 1
            assert relay.connexions == 0 and Notification.objects.get().envoyee_le is None
    finally:
        conf.update(task_always_eager=eager)


def test_a_refusal_is_final_and_shown_with_its_reason():
    notification = _row(territoire="43")
    with ServeurSMTP("refus") as relay, override_settings(**relay.settings()):
        assert send_notification.apply(args=[notification.pk]).get() is False
    notification.refresh_from_db()
    assert notification.echec_le and notification.envoyee_le is None and notification.tentatives == 1
    assert "550" in notification.derniere_erreur and notification.etat == "en échec"
    assert flush_outbox() == 0, "nobody sends a refused email again by itself"


def test_a_sent_personal_link_is_not_kept():
    notification = _row(secret=True)
    with ServeurSMTP() as relay, override_settings(**relay.settings()):
        assert envoyer(notification.pk).envoye
    assert "Bonjour" in relay.recus[0]
    notification.refresh_from_db()
    assert "Bonjour" not in notification.corps and notification.envoyee_le


def _send_in_child(pk: int) -> None:
    connections.close_all()  # the child opens its own connection to the same test database
    envoyer(pk)


def test_a_worker_killed_after_the_relay_accepted_is_the_only_email_sent_twice():
    if connection.vendor != "postgresql":
        pytest.skip("a killed process shares the database only with a server (the PostGIS pass runs it)")
    # Written five minutes ago: old enough for the sweep, which must still leave them alone.
    il_y_a_cinq_minutes = timezone.now() - datetime.timedelta(minutes=5)
    premier, second, troisieme = (_row(sujet=f"Essai {i}", cree_le=il_y_a_cinq_minutes) for i in range(3))
    child = {}

    def kill_sender():
        os.kill(child["pid"], signal.SIGKILL)  # the relay has the message; the worker never learns it

    connections.close_all()
    with ServeurSMTP(apres_acceptation=kill_sender) as relay, override_settings(**relay.settings()):
        process = multiprocessing.get_context("fork").Process(target=_send_in_child, args=[premier.pk])
        process.start()
        child["pid"] = process.pid
        process.join(20)
        assert process.exitcode == -signal.SIGKILL and len(relay.recus) == 1
        relay.apres_acceptation = None
        # A worker that died before the relay accepted anything: its lease runs out too, and that send is
        # the first one the family gets.
        Notification.objects.filter(pk=second.pk).update(envoi_commence_le=timezone.now(), tentatives=1)

        assert envoyer(premier.pk) is None, "its lease still runs: nobody sends it"
        assert envoyer(troisieme.pk).envoye
        assert envoyer(troisieme.pk) is None, "sent: never again"
        assert flush_outbox() == 0

        Notification.objects.filter(pk__in=[premier.pk, second.pk]).update(
            envoi_commence_le=timezone.now() - BAIL - datetime.timedelta(seconds=1))
        for pk in (premier.pk, second.pk):
            assert envoyer(pk).envoye
        connections.close_all()
    sujets = sorted(line for message in relay.recus for line in message.splitlines() if line.startswith("Subject:"))
    assert sujets == ["Subject: Essai 0", "Subject: Essai 0", "Subject: Essai 1", "Subject: Essai 2"], \
        "twice only the one whose worker died after the relay accepted it"
    # Both copies carry the row's one Message-ID: a mailbox that dedupes (and make prod-check) sees one email.
    identifiants = [line for message in relay.recus for line in message.splitlines() if line.startswith("Message-ID:")]
    assert identifiants.count(f"Message-ID: {message_id(premier)}") == 2 and len(set(identifiants)) == 3


@pytest.mark.django_db
def test_each_caf_reads_its_own_failures_and_never_a_body(client):
    from habilitations.enums import Role
    from habilitations.tests.factories import make_person

    _row(territoire="43", sujet="Relais refusé 43", destinataires="sarah.martin@example.fr", echec_le=timezone.now(),
         derniere_erreur="550 5.1.1 boîte inconnue", corps="Bonjour Sarah Martin")
    _row(territoire="64", sujet="Relais refusé 64", echec_le=timezone.now(), derniere_erreur="550")
    _row(territoire="43", sujet="En attente 43")
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    page = client.get("/administration/notifications/notification/?etat=echec").content.decode()
    assert "Relais refusé 43" in page and "550 5.1.1 boîte inconnue" in page and "s…@example.fr" in page
    assert "Relais refusé 64" not in page and "En attente 43" not in page
    assert "sarah.martin" not in page and "Bonjour" not in page
    assert "En attente 43" in client.get("/administration/notifications/notification/?etat=attente").content.decode()
    theirs = Notification.objects.get(territoire="64")
    assert client.get(f"/administration/notifications/notification/{theirs.pk}/change/").status_code in (403, 404)
    # Sent again by the agent: a 64 id posted by a 43 agent changes nothing.
    mine = Notification.objects.get(sujet="Relais refusé 43")
    client.post("/administration/notifications/notification/", {"action": "renvoyer", "_selected_action": [mine.pk, theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.echec_le is not None
    assert Notification.objects.get(pk=mine.pk).echec_le is None
