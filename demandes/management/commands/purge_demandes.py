from django.core.management.base import BaseCommand

from demandes.purge import purge_expired


class Command(BaseCommand):
    help = "Détruit les demandes d'information de plus de six mois (il ne reste que des comptes anonymes)."

    def handle(self, *args, **options):
        report = purge_expired()
        self.stdout.write(self.style.SUCCESS(
            f"{report.demandes} demande(s) détruite(s) en {report.lots} lot(s), "
            f"{report.notifications} notification(s) effacée(s), {report.secondes:.1f} s."
        ))
