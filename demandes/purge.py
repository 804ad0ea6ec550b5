"""Six months, then gone: the demandes' personal data are destroyed; the anonymous counts
(demandes.statistiques, kept as demandes are sent and opened) remain. A demande its family withdraws
(its follow-up link) is destroyed the same way, at once."""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from monenfant.regles import DUREE_CONSERVATION
from notifications.models import Notification

from .models import OBJET_NOTIFICATIONS, AccesDemande, Demande, Enfant, TransitionDemande

BATCH = 20_000
# Children first, the demande last. Plain DELETEs: Django's delete() would load every demande to
# follow its relations (119 s for 1,000,000), and builds one parameter per id.
LOT_TABLES = [
    (Enfant._meta.db_table, "demande_id"),
    (AccesDemande._meta.db_table, "demande_id"),
    (TransitionDemande._meta.db_table, "demande_id"),
    (Demande.linfs.through._meta.db_table, "demande_id"),
    (Demande._meta.db_table, "id"),
]


@dataclass
class PurgeReport:
    demandes: int = 0
    lots: int = 0
    notifications: int = 0
    secondes: float = 0.0


def _lot_condition(cutoff: datetime.datetime, batch: int) -> tuple[str, list] | None:
    """SQL matching the oldest expired demandes (found through the date index), or None when none is left."""
    lot = Demande.objects.filter(cree_le__lt=cutoff).order_by("cree_le").values("pk")[:batch]
    if connection.vendor == "postgresql":
        # One array parameter, and index probes only: on its own, PostgreSQL may hash-join or scan
        # every table whole at each batch (78 to 385 s for 1,000,000 depending on its statistics).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        ids = list(lot.values_list("pk", flat=True))
        return ("= ANY(%s)", [ids]) if ids else None
    if not lot.exists():
        return None
    sql, params = lot.query.sql_with_params()
    return f"IN ({sql})", list(params)


def _detruire(match: str, params: list) -> tuple[int, int]:
    """Deletes the demandes whose id matches (SQL after "id"), their children, logs and links, and the emails
    about them; returns (demandes, emails) deleted. In the caller's transaction."""
    with connection.cursor() as cursor:
        # The emails that carry the family's data go with their demande (an accusé sent months
        # after the demande would outlive it by its own age).
        cursor.execute(
            f"DELETE FROM {Notification._meta.db_table} WHERE objet IN "  # noqa: S608 (our tables)
            f"(SELECT %s || reference FROM {Demande._meta.db_table} WHERE id {match})",
            [OBJET_NOTIFICATIONS, *params],
        )
        notifications = cursor.rowcount
        for table, column in LOT_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE {column} {match}", params)  # noqa: S608 (our tables)
        return cursor.rowcount, notifications


@transaction.atomic
def detruire(demande: Demande) -> int:
    """One demande destroyed at once, as the purge destroys it (the family withdrew it); returns 1, or 0
    when it was gone already."""
    demandes, _ = _detruire("= %s", [demande.pk])
    return demandes


def purge_expired(*, now: datetime.datetime | None = None, batch: int = BATCH) -> PurgeReport:
    """Batched and idempotent: each batch deletes in one transaction; an interrupted purge goes on next time."""
    started = timezone.now()
    cutoff = (now or started) - DUREE_CONSERVATION
    report = PurgeReport()
    while True:
        with transaction.atomic():
            condition = _lot_condition(cutoff, batch)
            if condition is None:
                break
            demandes, notifications = _detruire(*condition)
            report.demandes += demandes
            report.notifications += notifications
        report.lots += 1
    # Emails to and about families are logs with personal data too; a reading logged before the
    # cutoff belongs to an expired demande, whatever happened to it.
    # Any other email older than six months too (those of the habilitations have their own rule).
    anciennes, _ = Notification.objects.filter(cree_le__lt=cutoff).delete()
    report.notifications += anciennes
    AccesDemande.objects.filter(le__lt=cutoff).delete()
    report.secondes = (timezone.now() - started).total_seconds()
    return report
