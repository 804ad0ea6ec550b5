from django.apps import AppConfig


class DemandesConfig(AppConfig):
    name = "demandes"
    verbose_name = "Demandes d'information des familles"

    def ready(self):
        from linf.signals import guichets_fermes

        from .services import reorienter_apres_fermeture

        guichets_fermes.connect(reorienter_apres_fermeture, dispatch_uid="demandes_reorientees")
