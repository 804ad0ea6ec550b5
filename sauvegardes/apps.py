from django.apps import AppConfig


class SauvegardesConfig(AppConfig):
    name = "sauvegardes"
    verbose_name = "sauvegardes de la base"
