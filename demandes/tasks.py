from celery import shared_task

from .purge import purge_expired
from .rappels import remind_overdue


@shared_task
def purge_demandes() -> dict:
    report = purge_expired()
    return {"demandes": report.demandes, "lots": report.lots, "notifications": report.notifications}


@shared_task
def remind_overdue_demandes() -> dict:
    report = remind_overdue()
    return {"linfs": report.linfs, "cafs": report.cafs, "demandes": report.demandes}
