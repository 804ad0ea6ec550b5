from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task
def clear_expired_sessions() -> None:
    """Every hour (CELERY_BEAT_SCHEDULE): expired sessions are deleted, with the address a family posted
    to the search (`structures.views.SESSION_ADRESSE`): it lives no longer than its session."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


# A national list may take longer than the default limits, but ends before the broker's visibility
# timeout (2 h, settings), past which another worker would start it again.
@shared_task(soft_time_limit=100 * 60, time_limit=110 * 60)
def importer_fiches(import_id: int, simulation: bool) -> None:
    """A partner's list, simulated or imported (structures.collecte): large files run in a worker, and in-process
    on the embedded default; the back office shows its progress."""
    from .collecte import service
    from .models import ImportFiches

    service.executer(ImportFiches.objects.get(pk=import_id), simulation=simulation)


@shared_task
def publier_donnees_ouvertes() -> None:
    """Each night (CELERY_BEAT_SCHEDULE): the open data files of /donnees/ (structures.donnees_ouvertes)."""
    from . import donnees_ouvertes

    donnees_ouvertes.publier()
