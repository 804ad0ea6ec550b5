from django.apps import AppConfig


class FamillesConfig(AppConfig):
    name = "familles"
    verbose_name = "Besoins des familles"
