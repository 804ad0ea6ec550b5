"""Six months, then gone: the demandes' personal data are destroyed, anonymous counts remain."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from habilitations.workflow import Notification

from .models import AccesDemande, Demande, Enfant, StatistiqueDemande

CONSERVATION = relativedelta(months=6)
BATCH = 5000


@dataclass
class PurgeReport:
    demandes: int = 0
    lots: int = 0
    notifications: int = 0
    secondes: float = 0.0


def _tranche(naissance: datetime.date | None, at: datetime.date) -> str:
    # No birth date: the child is expected.
    if naissance is None:
        return "a_naitre"
    months = (at.year - naissance.year) * 12 + at.month - naissance.month
    return "0-1" if months < 12 else "1-3" if months < 36 else "3-6"


def _count(ids: list[int]) -> None:
    """Add the anonymous counts of these demandes. Reads tuples, never a model: 1,000,000 fit in a minute."""
    rows = Demande.objects.filter(pk__in=ids).values_list(
        "pk", "cree_le", "traitee_le", "commune_id", "besoin", "horaires_atypiques", "handicap", "situation", "statut",
        "linfs", "enfants__date_naissance",
    )
    seen: dict[tuple, None] = {}
    groups: dict[tuple, int] = {}
    for pk, cree_le, traitee_le, commune, besoin, atypiques, handicap, situation, statut, linf, naissance in rows:
        if (pk, linf) in seen:  # several children: the first one gives the age band
            continue
        seen[(pk, linf)] = None
        delai = (traitee_le - cree_le).days if traitee_le else None
        key = (cree_le.date().replace(day=1), commune, linf, besoin, _tranche(naissance, cree_le.date()),
               atypiques, handicap, situation, statut, delai)
        groups[key] = groups.get(key, 0) + 1
    fields = ["mois", "commune_id", "linf_id", "besoin", "tranche_age", "horaires_atypiques", "handicap", "situation",
              "statut", "delai_jours"]
    for key, nombre in groups.items():
        lookup = dict(zip(fields, key, strict=True))
        updated = StatistiqueDemande.objects.filter(**lookup).update(nombre=F("nombre") + nombre)
        if not updated:
            StatistiqueDemande.objects.create(**lookup, nombre=nombre)


def _delete(ids: list[int]) -> None:
    """Children, reading and export logs, then the demandes: plain DELETEs, no model loaded."""
    Enfant.objects.filter(demande_id__in=ids).delete()
    AccesDemande.objects.filter(demande_id__in=ids).delete()
    Demande.linfs.through.objects.filter(demande_id__in=ids).delete()
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {Demande._meta.db_table} WHERE id IN ({placeholders})", ids)  # noqa: S608


def purge_expired(*, now: datetime.datetime | None = None, batch: int = BATCH) -> PurgeReport:
    """Batched and idempotent: each batch counts then deletes in one transaction."""
    started = timezone.now()
    cutoff = (now or started) - CONSERVATION
    report = PurgeReport()
    while True:
        with transaction.atomic():
            # Ordered by the indexed date: each batch reads 5,000 index entries, not every expired row.
            ids = list(Demande.objects.filter(cree_le__lt=cutoff).order_by("cree_le").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            _count(ids)
            _delete(ids)
        report.demandes += len(ids)
        report.lots += 1
    # Emails to and about families are logs with personal data too.
    report.notifications, _ = Notification.objects.filter(cree_le__lt=cutoff).delete()
    report.secondes = (timezone.now() - started).total_seconds()
    return report
