from celery import shared_task

from .purge import purge_expired
from .rappels import remind_overdue
from .recapitulatif import rollup_recent
from .services import reorienter_orphelines


@shared_task
def purge_demandes() -> dict:
    report = purge_expired()
    return {"demandes": report.demandes, "lots": report.lots, "notifications": report.notifications}


@shared_task
def remind_overdue_demandes() -> dict:
    """Daily. First, no demande is stranded (a LINF's end closes its guichet and moves them at once; this
    catches one whose convention or contract reached its end date before its guichet closed)."""
    moved = reorienter_orphelines()
    report = remind_overdue()
    return {"linfs": report.linfs, "cafs": report.cafs, "demandes": report.demandes, **moved}


@shared_task
def rollup_besoins() -> dict:
    """Daily: the national view of "Besoins et offre" reads these rows (the months still moving, and the offer)."""
    report = rollup_recent()
    return {"mois": report.mois, "lignes": report.lignes, "offre": report.departements_offre}
