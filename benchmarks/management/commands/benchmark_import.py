"""Measure the import of a partner's list: N rows with coordinates, imported, then the same file again.

Run it on a database of its own with the reference geography (`import_geographie`): the fiches it creates
carry the source `benchmark-import` and are removed at the end (unless --garder)."""

import csv
import io
import random
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from structures.collecte import demarrage, service
from structures.models import Commune, ImportFiches, Structure

SOURCE = "benchmark-import"
CATEGORIES = {"MA": "EAJE", "MAM": "MAM", "RPE": "RPE", "ALSH": "ALSH", "LAEP": "LAEP"}
CORRESPONDANCE = {
    "source": SOURCE, "identifiant": "ID",
    "rubrique": {"colonne": "CATEGORIE", "valeurs": CATEGORIES},
    "type_accueil": {"colonne": "CATEGORIE", "valeurs": {"MA": "multi_accueil"}},
    "champs": {"nom": "NOM", "adresse": "ADRESSE", "code_postal": "CP", "commune": "COMMUNE", "code_insee": "INSEE",
               "telephone": "TEL", "capacite": "PLACES"},
    "position": {"lat": "LAT", "lon": "LON"},
}


def fichier(nombre: int, seed: int = 19) -> bytes:
    """N rows in real communes (weighted by population), a point within 2 km of the commune's."""
    rng = random.Random(seed)
    communes = list(Commune.objects.filter(point__isnull=False, commune_parente__isnull=True)
                    .values_list("code_insee", "nom", "codes_postaux", "point", "population"))
    if not communes:
        raise CommandError("Importez d'abord la géographie : python manage.py import_geographie")
    choisies = rng.choices(communes, weights=[max(c[4], 1) for c in communes], k=nombre)
    sortie = io.StringIO()
    writer = csv.writer(sortie, delimiter=";")
    writer.writerow(["ID", "NOM", "CATEGORIE", "ADRESSE", "CP", "COMMUNE", "INSEE", "TEL", "PLACES", "LAT", "LON"])
    for n, (code, nom, cps, point, _) in enumerate(choisies):
        categorie = rng.choice(list(CATEGORIES))
        writer.writerow([f"B{n:07d}", f"Structure {n} de {nom}", categorie, f"{rng.randint(1, 80)} rue de la Gare",
                         (cps.split() or [""])[0], nom, code, f"04 71 {n % 100:02d} {n // 100 % 100:02d} 00",
                         rng.choice([10, 12, 20, 40]), f"{point.y + rng.uniform(-0.015, 0.015):.6f}",
                         f"{point.x + rng.uniform(-0.015, 0.015):.6f}"])
    return sortie.getvalue().encode("utf-8")


def pic_mo() -> float:
    """The process's peak resident memory so far (Linux gives kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Mesure l'import de N lignes avec coordonnées, puis le même fichier une seconde fois (0 changement)."

    def add_arguments(self, parser):
        parser.add_argument("--lignes", type=int, default=100_000)
        parser.add_argument("--garder", action="store_true", help="Garder les fiches créées.")

    def handle(self, *args, lignes, garder, **options):
        nettoyer()  # what an interrupted run left
        contenu = fichier(lignes)
        self.stdout.write(f"Fichier : {lignes} lignes, {len(contenu) / 1e6:.1f} Mo ; mémoire avant : {pic_mo():.0f} Mo")
        for passage in ("premier import", "même fichier à nouveau"):
            import_fiches = demarrage.preparer_import(fichier_nom="benchmark.csv", contenu=contenu,
                                                     correspondance=CORRESPONDANCE)
            debut = time.perf_counter()
            resultats = service.executer(import_fiches, simulation=False)
            duree = time.perf_counter() - debut
            self.stdout.write(self.style.SUCCESS(
                f"{connection.vendor} — {passage} : {duree:.1f} s ({lignes / duree:,.0f} lignes/s), pic mémoire "
                f"{pic_mo():.0f} Mo ; créées {resultats.get('creee')}, mises à jour {resultats.get('mise_a_jour')}, "
                f"inchangées {resultats.get('inchangee')}, fusionnées {resultats.get('fusionnee')}, "
                f"rejetées {resultats.get('rejetee')}"
            ))
        if not garder:
            nettoyer()


def nettoyer() -> None:
    """The benchmark's imports, fiches and history gone (a raw delete: the history's delete signal would write
    a row per fiche first)."""
    ImportFiches.objects.filter(source=SOURCE).delete()
    Structure.history.filter(source=SOURCE).delete()
    Structure.objects.filter(source=SOURCE)._raw_delete(connection.alias)
