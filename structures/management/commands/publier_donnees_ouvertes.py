"""Writes today's open data files (what the nightly task does): `python manage.py publier_donnees_ouvertes`."""

import time

from django.core.management.base import BaseCommand

from structures import donnees_ouvertes


class Command(BaseCommand):
    help = "Écrit les fichiers de données ouvertes du jour (CSV, GeoJSON, data·inclusion) servis par /donnees/."

    def add_arguments(self, parser):
        parser.add_argument("--format", action="append", choices=list(donnees_ouvertes.FORMATS),
                            help="Un format seulement (répétable) ; tous par défaut.")

    def handle(self, *args, format=None, **options):
        debut = time.perf_counter()
        publication = donnees_ouvertes.publier(tuple(format or donnees_ouvertes.FORMATS))
        for code, fichier in publication["fichiers"].items():
            self.stdout.write(f"{donnees_ouvertes.FORMATS[code].titre} : {fichier['nom']}, {fichier['fiches']} fiches, "
                              f"{fichier['octets'] / 1e6:.1f} Mo")
        self.stdout.write(self.style.SUCCESS(
            f"Publié dans {donnees_ouvertes.dossier()} en {time.perf_counter() - debut:.1f} s."))
