"""Measure the open data export and the walk of a département through the API's pages (issue 20).

Run it on a database of its own with a national directory (`import_geographie`, then `generate_national`).
Each export is written to a temporary folder (not the published one); the walk goes through the whole
Django stack (middleware included) with the test client, page after page as a partner follows `suivant`."""

import resource
import statistics
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client

from structures import donnees_ouvertes
from structures.models import Horaire, Structure


def pic_mo() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def centile(valeurs: list[float], p: float) -> float:
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, round(p / 100 * (len(valeurs) - 1)))]


def horaires_de_semaine() -> int:
    """Monday to Friday 7:30–18:30 for each establishment that has no hours (the generated directory has
    none): the files then write hours as real ones would. One INSERT … SELECT a day."""
    table, horaires = Structure._meta.db_table, Horaire._meta.db_table
    sans = (f"SELECT id FROM {table} WHERE rubrique <> 'ASSMAT' AND id NOT IN (SELECT structure_id FROM {horaires})")
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE rubrique <> 'ASSMAT' AND NOT EXISTS "
                       f"(SELECT 1 FROM {horaires} h WHERE h.structure_id = {table}.id) LIMIT 1")
        if cursor.fetchone() is None:
            return 0
        cursor.execute(f"CREATE TEMPORARY TABLE sans_horaires AS {sans}")
        for jour in range(1, 6):
            cursor.execute(f"INSERT INTO {horaires} (structure_id, jour, ouverture, fermeture) "
                           "SELECT id, %s, %s, %s FROM sans_horaires",
                           [jour, "07:30:00", "18:30:00"])
            total += cursor.rowcount
        cursor.execute("DROP TABLE sans_horaires")
    return total


class Command(BaseCommand):
    help = "Mesure l'export des données ouvertes et le parcours d'un département par les pages de l'API."

    def add_arguments(self, parser):
        parser.add_argument("--formats", nargs="+", default=list(donnees_ouvertes.FORMATS),
                            choices=list(donnees_ouvertes.FORMATS))
        parser.add_argument("--limite", type=int, default=200, help="Structures par page de l'API (200 par défaut).")

    def handle(self, *args, formats, limite, **options):
        fiches = Structure.objects.published().filter(rubrique__in=donnees_ouvertes.RUBRIQUES).count()
        if fiches < 1000:
            raise CommandError("Générez d'abord un annuaire : python manage.py generate_national")
        ajoutes = horaires_de_semaine()
        self.stdout.write(f"{Structure.objects.count()} fiches dont {fiches} dans les fichiers ({ajoutes} horaires ajoutés) ; "
                          f"mémoire avant : {pic_mo():.0f} Mo")
        with tempfile.TemporaryDirectory() as dossier:
            for code in formats:
                format_ = donnees_ouvertes.FORMATS[code]
                avant = pic_mo()
                debut = time.perf_counter()
                n = donnees_ouvertes.ecrire(format_, Path(dossier) / f"export.{format_.extension}")
                duree = time.perf_counter() - debut
                taille = (Path(dossier) / f"export.{format_.extension}").stat().st_size
                self.stdout.write(self.style.SUCCESS(
                    f"{format_.titre} : {n} fiches en {duree:.1f} s ({n / duree:,.0f} fiches/s), {taille / 1e6:.0f} Mo ; "
                    f"pic mémoire {pic_mo():.0f} Mo (+{pic_mo() - avant:.0f} Mo)"))
        self._parcourir(limite)

    def _parcourir(self, limite: int) -> None:
        """The département with the most fiches, walked through `suivant`."""
        plus_grand = (Structure.objects.published().values("commune__departement_id")
                      .annotate(n=Count("pk")).order_by("-n").first())
        code = plus_grand["commune__departement_id"]
        client = Client(SERVER_NAME="localhost")
        url = f"/api/structures/?departement={code}&limite={limite}"
        durees, total = [], 0
        while url:
            debut = time.perf_counter()
            response = client.get(url)
            durees.append((time.perf_counter() - debut) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} : {response.status_code} {response.content[:200]!r}")
            page = response.json()
            total += len(page["features"])
            url = page.get("suivant", "").replace("http://localhost", "")
        if total != plus_grand["n"]:
            raise CommandError(f"{total} structures lues pour {plus_grand['n']} fiches publiques.")
        self.stdout.write(self.style.SUCCESS(
            f"Département {code} ({plus_grand['n']} fiches publiques) parcouru en {len(durees)} pages de {limite} : "
            f"{total} structures ; par page médiane {statistics.median(durees):.1f} ms, "
            f"p95 {centile(durees, 95):.1f} ms, max {max(durees):.1f} ms"))
