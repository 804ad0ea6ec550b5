from django.apps import AppConfig


class CompteursConfig(AppConfig):
    name = "compteurs"
    verbose_name = "compteurs"
