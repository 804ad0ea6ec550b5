from django.core.management.base import BaseCommand

from linf.conventions import apply_ends


class Command(BaseCommand):
    help = ("Rappels un mois avant la fin, puis fermeture des guichets et retrait des accès des conventions "
            "et contrats CAF–CNAF arrivés à leur date de fin (à lancer chaque jour, par cron sans Celery beat).")

    def handle(self, *args, **options):
        done = apply_ends()
        self.stdout.write(f"{done['rappels']} rappel(s), {done['conventions']} convention(s) terminée(s), "
                          f"{done['contrats']} contrat(s) terminé(s).")
