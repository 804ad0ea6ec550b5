"""p50 / p95 of the search API and page at national scale, with the home page as a baseline, and the same
searches ranked by a family's need (tri=adequation; the page with each result's cost).

Requests go through the whole Django stack in-process (middleware, views, templates, database),
so the figures exclude only the network. Communes are drawn by population (where people search).
"""

import datetime
import random
import statistics
import time
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

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
        # A family that stated its need once: a baby of 4 months, Monday to Friday 8 h–18 h, in two months.
        besoin = {"age_enfant": "4", "debut": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
                  "jours": "1,2,3,4,5", "heure_debut": "08:00", "heure_fin": "18:00"}
        famille = Client(HTTP_HOST="127.0.0.1")
        code0 = pairs[0][0]
        reponse = famille.post("/recherche/", {**besoin, "code_insee": code0, "commune": code0,
                                               "jours": besoin["jours"].split(","), "ressources": "3000", "enfants": "2"})
        if reponse.status_code != 303:
            raise CommandError(f"Le besoin n'a pas été accepté ({reponse.status_code})")
        classe = urlencode({**besoin, "tri": "adequation"})

        def timed(url: str, par=None) -> float:
            started = time.perf_counter()
            response = (par or client).get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{url} a répondu {response.status_code}")
            return elapsed

        for code, rubrique in pairs[:10]:  # warm-up: connections, templates, caches
            timed(f"/api/structures/?commune={code}&rubrique={rubrique}")
            timed(f"/recherche/?code_insee={code}&rubrique={rubrique}")
            timed(f"/api/structures/?commune={code}&rubrique={rubrique}&{classe}")
            timed(f"/recherche/?code_insee={code}&rubrique={rubrique}", famille)
        timings = {"accueil /": [], "API /api/structures/": [], "page /recherche/": [],
                   "API classée (tri=adequation)": [], "page classée selon le besoin, avec les coûts": []}
        found = []
        for code, rubrique in pairs:
            # Interleaved, so that the three series see the same machine conditions.
            timings["accueil /"].append(timed("/"))
            started = time.perf_counter()
            response = client.get(f"/api/structures/?commune={code}&rubrique={rubrique}")
            timings["API /api/structures/"].append((time.perf_counter() - started) * 1000)
            found.append(len(response.json()["features"]))
            timings["page /recherche/"].append(timed(f"/recherche/?code_insee={code}&rubrique={rubrique}"))
            timings["API classée (tri=adequation)"].append(
                timed(f"/api/structures/?commune={code}&rubrique={rubrique}&{classe}"))
            timings["page classée selon le besoin, avec les coûts"].append(
                timed(f"/recherche/?code_insee={code}&rubrique={rubrique}", famille))

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
        for classee, simple in (("API classée (tri=adequation)", "API /api/structures/"),
                                ("page classée selon le besoin, avec les coûts", "page /recherche/")):
            ratio = percentile(timings[classee], 0.95) / percentile(timings[simple], 0.95)
            self.stdout.write(f"\np95 {classee} / p95 {simple} : {ratio:.2f}")
