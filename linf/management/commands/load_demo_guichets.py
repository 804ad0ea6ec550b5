from django.core.management.base import BaseCommand, CommandError

from habilitations.demo import DEMO_DOMAIN
from habilitations.models import User
from linf.demo import build_demo_guichets
from linf.services import snapshot_couverture


class Command(BaseCommand):
    help = "Ouvre le guichet de demande en ligne du lieu d'information de démonstration (43 et 64)."

    def handle(self, *args, **options):
        if not User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
            raise CommandError("Chargez d'abord les comptes de démonstration : python manage.py load_demo_accounts")
        for linf in build_demo_guichets():
            communes = linf.communes_desservies.count()
            self.stdout.write(f"  {linf.nom} : guichet ouvert, {communes} communes desservies")
        # So that the progress chart of the back office starts with this month.
        snapshot_couverture()
        self.stdout.write(self.style.SUCCESS("Guichets de démonstration ouverts ; couverture du mois enregistrée."))
