"""Six months, then gone: only anonymous counts remain."""

import datetime

import pytest
from django.utils import timezone

from demandes.models import AccesDemande, Demande, Enfant, StatistiqueDemande
from demandes.purge import purge_expired
from demandes.tests.test_exports import make_demandes
from habilitations.workflow import Notification

pytestmark = pytest.mark.django_db


def test_time_travel_six_months_and_only_counts_remain(velay):
    old = make_demandes(velay["linf"], velay["le_puy"], 7, besoin="assmat")
    recent = make_demandes(velay["linf"], velay["le_puy"], 3)
    seven_months_ago = timezone.now() - datetime.timedelta(days=214)
    Demande.objects.filter(pk__in=[d.pk for d in old]).update(cree_le=seven_months_ago)
    Demande.objects.filter(pk=old[0].pk).update(statut="traitee", traitee_le=seven_months_ago + datetime.timedelta(days=4))
    AccesDemande.objects.create(demande=old[0], user=velay["person"], action="lecture")
    Notification.objects.create(destinataires="f0@example.fr", sujet="x", corps="Bonjour Léa", cree_le=seven_months_ago)

    report = purge_expired(batch=3)

    assert (report.demandes, report.lots, report.notifications) == (7, 3, 1)
    assert set(Demande.objects.values_list("pk", flat=True)) == {d.pk for d in recent}
    assert Enfant.objects.count() == 3 and not AccesDemande.objects.exists()
    counts = {(s.besoin, s.statut, s.delai_jours, s.tranche_age): s.nombre for s in StatistiqueDemande.objects.all()}
    assert counts == {("assmat", "nouvelle", None, "1-3"): 6, ("assmat", "traitee", 4, "1-3"): 1}
    stat = StatistiqueDemande.objects.first()
    assert stat.commune_id == "43157" and stat.linf == velay["linf"]
    assert purge_expired().demandes == 0, "idempotent"
    assert sum(s.nombre for s in StatistiqueDemande.objects.all()) == 7
