from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_spatial_indexes(sender, using="default", **kwargs):
    from .spatial import ensure_spatial_indexes

    ensure_spatial_indexes(using)


class StructuresConfig(AppConfig):
    name = "structures"
    verbose_name = "Annuaire des structures"

    def ready(self):
        post_migrate.connect(_ensure_spatial_indexes, sender=self)
