from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save


def _ensure_spatial_indexes(sender, using="default", **kwargs):
    from .spatial import ensure_spatial_indexes

    ensure_spatial_indexes(using)


def _spatialite_busy_timeout(sender, connection, **kwargs):
    # Loading SpatiaLite resets SQLite's busy timeout to 5 s; concurrent writers need the configured one.
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout")
    if connection.vendor == "sqlite" and timeout:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def _condenser_semaine(sender, instance, **kwargs):
    # One opening slot or half-day written or deleted: its fiche's condensed week follows (bulk writers call
    # services.condenser_semaines themselves; a fiche being deleted has nothing left to update).
    from .services import condenser_semaines

    condenser_semaines([instance.structure_id])


class StructuresConfig(AppConfig):
    name = "structures"
    verbose_name = "Annuaire des structures"

    def ready(self):
        post_migrate.connect(_ensure_spatial_indexes, sender=self)
        connection_created.connect(_spatialite_busy_timeout)
        from .models import CreneauDisponible, Horaire

        for modele in (Horaire, CreneauDisponible):
            post_save.connect(_condenser_semaine, sender=modele, dispatch_uid=f"condenser-{modele.__name__}")
            post_delete.connect(_condenser_semaine, sender=modele, dispatch_uid=f"condenser-{modele.__name__}-suppr")
