from celery import shared_task

from . import services


@shared_task
def envoyer_les_alertes() -> int:
    return services.envoyer_les_alertes()


@shared_task
def purger_les_alertes() -> int:
    return services.purger()
