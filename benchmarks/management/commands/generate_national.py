import time

from django.core.management.base import BaseCommand, CommandError

from benchmarks.national import generate
from structures.models import Commune


class Command(BaseCommand):
    help = "Génère un annuaire à l'échelle nationale (~300 000 fiches) pour les mesures de performance."

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=300_000, help="Nombre de fiches (300 000 par défaut).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--etablissements", action="store_true",
                            help="Sans assistants maternels : toutes les fiches vont dans les données ouvertes.")

    def handle(self, *args, total, seed, etablissements, **options):
        if Commune.objects.count() < 30_000:
            raise CommandError("Importez d'abord toutes les communes : python manage.py import_geographie")
        started = time.monotonic()
        count = generate(total=total, seed=seed, etablissements=etablissements)
        self.stdout.write(self.style.SUCCESS(f"{count} fiches générées en {time.monotonic() - started:.1f} s."))
