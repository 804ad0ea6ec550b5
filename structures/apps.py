from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_spatial_indexes(sender, using="default", **kwargs):
    from .spatial import ensure_spatial_indexes

    ensure_spatial_indexes(using)


def _spatialite_busy_timeout(sender, connection, **kwargs):
    # Loading SpatiaLite resets SQLite's busy timeout to 5 s; concurrent writers need the configured one.
    timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout")
    if connection.vendor == "sqlite" and timeout:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


class StructuresConfig(AppConfig):
    name = "structures"
    verbose_name = "Annuaire des structures"

    def ready(self):
        post_migrate.connect(_ensure_spatial_indexes, sender=self)
        connection_created.connect(_spatialite_busy_timeout)
