from django.apps import AppConfig


class HabilitationsConfig(AppConfig):
    name = "habilitations"
    verbose_name = "Comptes et habilitations"

    def ready(self):
        from . import activite, signals

        activite.connect()
        signals.connect()
