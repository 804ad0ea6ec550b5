"""The nightly rollup of "Besoins et offre" for the national view: per month and département, the
columns of selectors.demandes() and selectors.non_servies(), and the offer by département.

Computed by the same selectors as the live pages (their national path, one month at a time), so that
selectors.national() gives the same rows. Counts of a month move while its demandes can still be
opened, i.e. until they are purged: each night recomputes those months (rollup_recent).
"""

import datetime
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from monenfant import calendrier

from . import selectors
from .models import DemandeNonServie, OffreDepartement, RecapitulatifBesoins, StatistiqueDemande


@dataclass
class Rapport:
    mois: int
    lignes: int
    departements_offre: int
    secondes: float


def _colonnes(row: dict) -> dict:
    """A selectors row without its key and label; the histogram's keys become strings in JSON."""
    values = {key: value for key, value in row.items() if key not in ("cle", "libelle", "delais")}
    return {**values, "delais": {str(jours): n for jours, n in row["delais"].items()}}


def rollup(months, *, now: datetime.datetime | None = None) -> Rapport:
    """Recompute the rows of these months (first days) and the offer, in one transaction."""
    start, now = time.perf_counter(), now or timezone.now()
    months = sorted({m.replace(day=1) for m in months})
    lignes = 0
    with transaction.atomic():
        for m in months:
            rows: dict[str, dict] = {}
            for row in selectors.demandes(None, m, m, sommes=True):
                rows.setdefault(row["cle"], {})["demandes"] = _colonnes(row)
            for row in selectors.non_servies(None, m, m):
                rows.setdefault(row["cle"], {})["non_servies"] = row["familles"]
            RecapitulatifBesoins.objects.filter(mois=m).delete()
            RecapitulatifBesoins.objects.bulk_create([
                RecapitulatifBesoins(mois=m, departement_id=code, demandes=row.get("demandes"),
                                     non_servies=row.get("non_servies"), calcule_le=now)
                for code, row in rows.items()])
            lignes += len(rows)
        offre = selectors.offre(None)
        OffreDepartement.objects.all().delete()
        OffreDepartement.objects.bulk_create([
            OffreDepartement(departement_id=row["cle"], calcule_le=now,
                             offre={k: v for k, v in row.items() if k not in ("cle", "libelle")})
            for row in offre])
    return Rapport(len(months), lignes, len(offre), time.perf_counter() - start)


def rollup_recent(now: datetime.datetime | None = None) -> Rapport:
    """Each night: the months whose demandes may still be opened (alive until the purge), this one included."""
    now = now or timezone.now()
    return rollup(calendrier.mois_entre(selectors.debut_suivi(now), timezone.localdate(now)), now=now)


def rollup_tout(now: datetime.datetime | None = None) -> Rapport:
    """Every month present in the counts (first run, or after a correction of the counts)."""
    months = {*StatistiqueDemande.objects.values_list("mois", flat=True).distinct(),
              *DemandeNonServie.objects.values_list("mois", flat=True).distinct()}
    # A month with no count left: its old rows go too.
    months |= set(RecapitulatifBesoins.objects.values_list("mois", flat=True).distinct())
    return rollup(months, now=now)
