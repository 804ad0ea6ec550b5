from django.core.management.base import BaseCommand

from linf.services import snapshot_couverture


class Command(BaseCommand):
    help = ("Enregistre la couverture du mois en cours par département (à lancer chaque jour, par cron "
            "sans Celery beat) ; relancée dans le mois, elle met à jour les lignes du mois.")

    def handle(self, *args, **options):
        count = snapshot_couverture()
        self.stdout.write(self.style.SUCCESS(f"Couverture du mois enregistrée pour {count} départements."))
