from django.apps import AppConfig


class LinfConfig(AppConfig):
    name = "linf"
    verbose_name = "Lieux d'information"
