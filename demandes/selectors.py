"""Reads of the CAF follow-up: from the anonymous counts and the few unopened demandes, never a scan."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.utils import timezone

from linf.selectors import delai_traitement
from structures.models import Structure

from .enums import StatutDemande
from .models import Demande, StatistiqueDemande, en_retard

DUREE_CONSERVATION = relativedelta(months=6)


def debut_suivi(now: datetime.datetime | None = None) -> datetime.date:
    """The follow-up counts the months a demande may still be alive in (six months, from the 1st)."""
    return (timezone.localdate(now) - DUREE_CONSERVATION).replace(day=1)


def _mediane(delais: list[tuple[int, int]]) -> float | None:
    """Weighted median of (delay in days, number of demandes)."""
    total = sum(n for _, n in delais)
    if not total:
        return None
    ordered, seen, middle = sorted(delais), 0, []
    for rank in ((total - 1) // 2, total // 2):
        seen = 0
        for delai, n in ordered:
            seen += n
            if seen > rank:
                middle.append(delai)
                break
    return round(sum(middle) / 2, 1)


def suivi_par_linf(departements=None, now: datetime.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    linfs = Structure.objects.filter(rubrique="LINF").select_related("guichet").order_by("nom", "pk")
    if departements is not None:
        linfs = linfs.filter(commune__departement__in=departements)
    linfs = list(linfs)
    ids = [linf.pk for linf in linfs]
    stats = StatistiqueDemande.objects.filter(linf__in=ids, mois__gte=debut_suivi(now))
    counts = {(r["linf"], r["statut"]): r["n"] for r in stats.values("linf", "statut").annotate(n=Sum("nombre"))}
    delais: dict[int, list] = {}
    for r in (stats.filter(statut=StatutDemande.TRAITEE, delai_jours__isnull=False)
              .values("linf", "delai_jours").annotate(n=Sum("nombre"))):
        delais.setdefault(r["linf"], []).append((r["delai_jours"], r["n"]))
    # Unopened demandes are few (a partial index keeps them): their dates tell which are overdue.
    nouvelles = (Demande.objects.filter(statut=StatutDemande.NOUVELLE, linfs__in=ids)
                 .values_list("linfs", "cree_le"))
    dates: dict[int, list] = {}
    for linf_id, cree_le in nouvelles:
        dates.setdefault(linf_id, []).append(cree_le)
    rows = []
    for linf in linfs:
        delai = delai_traitement(linf)
        rows.append({
            "linf": linf, "delai": delai,
            "nouvelles": counts.get((linf.pk, StatutDemande.NOUVELLE), 0),
            "traitees": counts.get((linf.pk, StatutDemande.TRAITEE), 0),
            "mediane": _mediane(delais.get(linf.pk, [])),
            "en_retard": sum(1 for c in dates.get(linf.pk, []) if en_retard(c, delai, now=now)),
        })
    return rows


def demandes_du_territoire(queryset, departements):
    """Demandes received by a LINF of these départements: a semi-join, so no DISTINCT over a million rows."""
    if departements is None:
        return queryset
    through = Demande.linfs.through.objects.filter(structure__commune__departement__in=departements)
    return queryset.filter(pk__in=through.values("demande_id"))

