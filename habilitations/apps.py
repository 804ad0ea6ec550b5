from django.apps import AppConfig


class HabilitationsConfig(AppConfig):
    name = "habilitations"
    verbose_name = "Comptes et habilitations"

    def ready(self):
        from . import activite  # noqa: F401 (connects the login signals to the monthly counts)
