"""Anonymous counts of demandes, kept as they happen: no person, only categories and a number.

They are written with the events (sent, then opened) rather than at the purge, so that the purge
only deletes, and so that the counts already hold the demandes still alive.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from compteurs import counters
from monenfant import calendrier

from .enums import StatutDemande, TrancheAge
from .models import Demande, DemandeNonServie, StatistiqueDemande


def tranche_age(naissance: datetime.date | None, at: datetime.date) -> TrancheAge:
    # No birth date: the child is expected.
    if naissance is None:
        return TrancheAge.A_NAITRE
    age = calendrier.age_en_mois(naissance, at)
    return TrancheAge.MOINS_1_AN if age < 12 else TrancheAge.UN_3_ANS if age < 36 else TrancheAge.TROIS_6_ANS


def _lookups(demande: Demande, enfants: list | None = None, linfs: list | None = None) -> list[dict]:
    """One row per LINF that received it, the first LINF's marked; the first child gives the age band.
    `enfants` (in the order typed) and `linfs`: what the caller has just written, not read again."""
    sent_on = timezone.localdate(demande.cree_le)
    first = demande.enfants.order_by("pk").first() if enfants is None else next(iter(enfants), None)
    delai = (demande.traitee_le - demande.cree_le).days if demande.traitee_le else None
    common = {
        "mois": calendrier.premier_jour(sent_on), "commune_id": demande.commune_id, "besoin": demande.besoin,
        "tranche_age": tranche_age(first.date_naissance if first else None, sent_on),
        "horaires_atypiques": demande.horaires_atypiques, "handicap": demande.handicap,
        "situation": demande.situation, "statut": demande.statut, "delai_jours": delai,
    }
    linf_ids = demande.linfs.order_by("pk").values_list("pk", flat=True) if linfs is None else sorted(linf.pk for linf in linfs)
    return [{**common, "linf_id": linf_id, "premier_lieu": i == 0} for i, linf_id in enumerate(linf_ids)]


def count_sent(demande: Demande, *, enfants: list | None = None, linfs: list | None = None) -> None:
    for lookup in _lookups(demande, enfants, linfs):
        counters.add(StatistiqueDemande, lookup, 1)


def count_opened(demande: Demande) -> None:
    """The demande moves from "nouvelle" to "traitée", with its delay."""
    for lookup in _lookups(demande):
        before = {**lookup, "statut": StatutDemande.NOUVELLE, "delai_jours": None}
        StatistiqueDemande.objects.filter(**before, nombre__gt=0).update(nombre=F("nombre") - 1)
        StatistiqueDemande.objects.filter(**before, nombre=0).delete()
        counters.add(StatistiqueDemande, lookup, 1)


def count_unserved(commune) -> None:
    """A family found nobody to write to in its commune: one more, for the commune and the month."""
    counters.add(DemandeNonServie, {"mois": calendrier.premier_jour(timezone.localdate()), "commune_id": commune.pk}, 1)
