"""p50 / p95 of the search API and page at national scale, with the home page as a baseline.

Requests go through the whole Django stack in-process (middleware, views, templates, database),
so the figures exclude only the network. Communes are drawn by population (where people search).
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from structures.enums import Rubrique
from structures.models import Commune, Structure


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Mesure p50 et p95 de /api/structures/, de /recherche/ et de la page d'accueil."

    def add_arguments(self, parser):
        parser.add_argument("--searches", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, searches, seed, **options):
        fiches = Structure.objects.count()
        if fiches < 1000:
            raise CommandError("Trop peu de fiches : lancez d'abord python manage.py generate_national")
        rng = random.Random(seed)
        communes = list(Commune.objects.filter(point__isnull=False).values_list("code_insee", "population"))
        picked = rng.choices(communes, weights=[max(p, 1) for _, p in communes], k=searches)
        pairs = [(code, rng.choice(Rubrique.values)) for code, _ in picked]
        client = Client(HTTP_HOST="127.0.0.1")

        def timed(url: str) -> float:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{url} a répondu {response.status_code}")
            return elapsed

        for code, rubrique in pairs[:10]:  # warm-up: connections, templates, caches
            timed(f"/api/structures/?commune={code}&rubrique={rubrique}")
            timed(f"/recherche/?code_insee={code}&rubrique={rubrique}")
        timings = {"accueil /": [], "API /api/structures/": [], "page /recherche/": []}
        found = []
        for code, rubrique in pairs:
            # Interleaved, so that the three series see the same machine conditions.
            timings["accueil /"].append(timed("/"))
            started = time.perf_counter()
            response = client.get(f"/api/structures/?commune={code}&rubrique={rubrique}")
            timings["API /api/structures/"].append((time.perf_counter() - started) * 1000)
            found.append(len(response.json()["features"]))
            timings["page /recherche/"].append(timed(f"/recherche/?code_insee={code}&rubrique={rubrique}"))

        base = statistics.median(timings["accueil /"])
        self.stdout.write(
            f"Base {connection.vendor} ({connection.settings_dict['ENGINE'].rsplit('.', 1)[-1]}), "
            f"{fiches} fiches, {searches} recherches (commune tirée selon la population, rubrique au hasard, "
            f"rayon 10 km), médiane {statistics.median(found):.0f} résultats par recherche API.\n"
        )
        self.stdout.write("| requête | p50 (ms) | p95 (ms) | p50 / accueil |")
        self.stdout.write("|---|---:|---:|---:|")
        for name, values in timings.items():
            p50 = statistics.median(values)
            self.stdout.write(f"| {name} | {p50:.1f} | {percentile(values, 0.95):.1f} | {p50 / base:.2f} |")
