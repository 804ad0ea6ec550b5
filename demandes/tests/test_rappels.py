"""Demandes nobody retrieved: the LINF is reminded past its delay, the CAF past twice the delay, once each."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from demandes.models import Demande
from demandes.rappels import remind_overdue
from demandes.tasks import remind_overdue_demandes
from demandes.tests.test_exports import make_demandes
from structures.models import Caf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]  # the outbox sends after the commit


def received(demandes, days_ago):
    Demande.objects.filter(pk__in=[d.pk for d in demandes]).update(cree_le=timezone.now() - datetime.timedelta(days=days_ago))


@pytest.fixture
def caf43(velay):
    caf = Caf.objects.get(departement="43")
    caf.email_habilitations = "linf@caf43.example.fr"
    caf.save()
    return caf


def test_the_linf_is_reminded_past_its_delay_and_only_once(velay, caf43):
    late = make_demandes(velay["linf"], velay["le_puy"], 2)
    on_time = make_demandes(velay["linf"], velay["le_puy"], 1)
    done = make_demandes(velay["linf"], velay["le_puy"], 1, statut="traitee", traitee_le=timezone.now())
    received(late, 6)  # the fixture's LINF has 5 days
    received(on_time, 4)
    received(done, 30)

    remind_overdue_demandes.delay()

    assert [m.to for m in mail.outbox] == [["julie@pif43.example.fr"]]
    body = mail.outbox[0].body
    assert late[0].reference in body and late[1].reference in body and on_time[0].reference not in body
    assert done[0].reference not in body
    assert "Léa" not in body and "@example.fr" not in body, "no family data in the reminder"
    assert f"/pro/demandes/?lieu={velay['linf'].pk}" in body

    assert remind_overdue().demandes == 0, "a reminder goes once"
    assert len(mail.outbox) == 1


def test_the_caf_is_told_at_twice_the_delay(velay, caf43):
    late = make_demandes(velay["linf"], velay["le_puy"], 1)
    received(late, 11)

    report = remind_overdue()

    assert (report.linfs, report.cafs, report.demandes) == (1, 1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["julie@pif43.example.fr", "linf@caf43.example.fr"]
    to_caf = next(m for m in mail.outbox if m.to == ["linf@caf43.example.fr"])
    assert late[0].reference in to_caf.body and "PIF du Velay" in to_caf.body
    assert "Léa" not in to_caf.body and "f0@example.fr" not in to_caf.body
    alerted = Demande.objects.get(pk=late[0].pk)
    assert alerted.rappel_linf_le and alerted.alerte_caf_le

    mail.outbox.clear()
    assert remind_overdue().demandes == 0
    assert mail.outbox == []


def test_the_delay_is_the_linf_s_own(velay, caf43):
    velay["linf"].guichet.delai_traitement_jours = 15
    velay["linf"].guichet.save()
    demandes = make_demandes(velay["linf"], velay["le_puy"], 1)
    received(demandes, 10)

    assert remind_overdue().demandes == 0
    received(demandes, 16)
    assert remind_overdue().linfs == 1
