from celery import shared_task

from .purge import purge_expired


@shared_task
def purge_demandes() -> dict:
    report = purge_expired()
    return {"demandes": report.demandes, "lots": report.lots, "notifications": report.notifications}
