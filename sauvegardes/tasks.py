from celery import shared_task

from .services import sauvegarder


# pg_dump of a large database may take a while: its own limits, below the broker's visibility timeout.
@shared_task(soft_time_limit=100 * 60, time_limit=110 * 60)
def sauvegarder_la_base() -> dict:
    """Nightly (beat): a backup, and those past their 30 days deleted."""
    rapport = sauvegarder()
    return {"fichier": rapport.fichier.name, "octets": rapport.octets, "supprimees": rapport.supprimees}
