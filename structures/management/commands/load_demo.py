from django.core.management.base import BaseCommand, CommandError

from structures.demo import build_demo
from structures.models import Commune


class Command(BaseCommand):
    help = "Crée ou met à jour l'annuaire de démonstration (Haute-Loire et Pyrénées-Atlantiques)."

    def handle(self, *args, **options):
        if not Commune.objects.filter(code_insee__in=["43157", "64445"]).exists():
            raise CommandError("Importez d'abord les communes : python manage.py import_geographie")
        count = build_demo()
        self.stdout.write(self.style.SUCCESS(f"{count} fiches de démonstration à jour."))
