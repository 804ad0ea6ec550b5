"""Demandes nobody retrieved: the LINF's persons are reminded past its delay, the CAF told past twice the delay."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from habilitations.delais import DELAI_MIN
from linf.selectors import persons_of
from notifications.services import notify

from .enums import StatutDemande
from .models import Demande


@dataclass
class RappelReport:
    linfs: int = 0
    cafs: int = 0
    demandes: int = 0


@transaction.atomic
def remind_overdue(*, now: datetime.datetime | None = None) -> RappelReport:
    """Each reminder goes once per demande; the emails name references and dates, never the family."""
    now = now or timezone.now()
    candidates = (
        Demande.objects.select_for_update(of=("self",))
        .filter(statut=StatutDemande.NOUVELLE, cree_le__lt=now - datetime.timedelta(days=DELAI_MIN),
                famille_prevenue_le__isnull=True)  # nobody can read it online: its family was told
        .filter(Q(rappel_linf_le__isnull=True) | Q(alerte_caf_le__isnull=True))
        .select_related("commune__departement__caf")
        .prefetch_related("linfs__guichet")
        .order_by("cree_le")
    )
    per_linf, per_caf = defaultdict(list), defaultdict(list)
    for demande in candidates:
        if demande.rappel_linf_le is None and demande.en_retard(now):
            for linf in demande.linfs.all():
                per_linf[linf].append(demande)
        if demande.alerte_caf_le is None and demande.en_retard(now, facteur=2):
            per_caf[demande.commune.departement.caf].append(demande)

    report = RappelReport()
    for linf, demandes in per_linf.items():
        persons = persons_of([linf])
        for person in persons:  # one email a person, as for a new demande
            notify(to=[person.email], sujet=f"monenfant : {len(demandes)} demande(s) d'information en attente",
                   template="demandes/emails/rappel_linf.txt",
                   context={"linf": linf, "demandes": demandes, "now": now, "site_url": settings.SITE_URL},
                   territoire=linf.commune.departement_id)
        if persons:
            report.linfs += 1
    for caf, demandes in per_caf.items():
        notify(to=[caf.email_habilitations],
               sujet=f"monenfant : {len(demandes)} demande(s) d'information sans réponse depuis deux fois le délai",
               template="demandes/emails/alerte_caf.txt",
               context={"caf": caf, "demandes": demandes, "now": now, "site_url": settings.SITE_URL},
               territoire=caf.departement_id)
        report.cafs += 1
    reminded = {d.pk for ds in per_linf.values() for d in ds}
    alerted = {d.pk for ds in per_caf.values() for d in ds}
    Demande.objects.filter(pk__in=reminded).update(rappel_linf_le=now)
    Demande.objects.filter(pk__in=alerted).update(alerte_caf_le=now)
    report.demandes = len(reminded | alerted)
    return report
