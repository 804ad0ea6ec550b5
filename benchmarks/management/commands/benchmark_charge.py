"""Throughput and latency of the search under load, through HTTP: wrk against a running server.

The server runs as in production (gunicorn, DEBUG off, PostGIS, Redis for the usage counters); this command
reads the 2,000 most populated communes from the same database, writes one list of search URLs per case,
and runs wrk (benchmarks/wrk/recherche.lua) on each case: first as fast as the server answers (req/s at
saturation), then, with --debit, at a steady rate (p95 at that rate). With several --cible (before/after),
the targets take turns on each case, so that they see the same machine conditions.

Nothing limits these URLs by address (the rate limits guard the forms only: demande, habilitation, login).
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from structures.models import Commune

SCRIPT = Path(__file__).resolve().parents[2] / "wrk" / "recherche.lua"
CAS = {
    # Not a search: what the same machine serves at best through the same stack (a yardstick for the others).
    "accueil": "/",
    "api-eaje": "/api/structures/?commune={code}&rubrique=EAJE&rayon_km={rayon}",
    "api-assmat": "/api/structures/?commune={code}&rubrique=ASSMAT&rayon_km={rayon}",
    "page-eaje": "/recherche/?code_insee={code}&rubrique=EAJE&rayon_km={rayon}",
    "page-assmat": "/recherche/?code_insee={code}&rubrique=ASSMAT&rayon_km={rayon}",
}
RESULTAT = re.compile(r"^RESULTAT (.*)$", re.MULTILINE)


def run_wrk(cible: str, fichier: Path, *, connexions: int, duree: int, debit: int | None = None) -> dict:
    args = [str(fichier)] + ([str(debit), str(connexions)] if debit else [])
    commande = ["wrk", "-t", "2", "-c", str(connexions), "-d", f"{duree}s", "--timeout", "10s",
                "-s", str(SCRIPT), cible, "--", *args]
    # wrk and our script, with the operator's own arguments (a list: no shell).
    sortie = subprocess.run(commande, capture_output=True, text=True, timeout=duree + 60, check=True).stdout  # noqa: S603
    trouve = RESULTAT.search(sortie)
    if trouve is None:
        raise CommandError(f"wrk n'a pas donné de résultat :\n{sortie}")
    valeurs = dict(item.split("=") for item in trouve.group(1).split())
    return {cle: float(valeur) for cle, valeur in valeurs.items()}


def erreurs(resultat: dict) -> int:
    return int(sum(v for k, v in resultat.items() if k.startswith("erreurs_") or k == "delais_depasses"))


class Command(BaseCommand):
    help = "Débit (req/s) et latence de la recherche (API et page) sous charge, avec wrk, sur un serveur lancé."

    def add_arguments(self, parser):
        parser.add_argument("--cible", action="append", required=True,
                            help="adresse du serveur, ex. http://127.0.0.1:8101 ; plusieurs : à tour de rôle")
        parser.add_argument("--cas", default=",".join(CAS), help=f"parmi {', '.join(CAS)} (défaut : tous)")
        parser.add_argument("--communes", type=int, default=2000)
        parser.add_argument("--rayon", type=int, default=10)
        parser.add_argument("--connexions", type=int, default=32)
        parser.add_argument("--duree", type=int, default=20, help="secondes par mesure")
        parser.add_argument("--chauffe", type=int, default=5, help="secondes de chauffe par cible et par cas")
        parser.add_argument("--debit", type=int, default=0, help="puis une mesure à ce débit fixe (req/s)")

    def handle(self, *args, cible, cas, communes, rayon, connexions, duree, chauffe, debit, **options):
        if shutil.which("wrk") is None:
            raise CommandError("wrk est introuvable : apt-get install wrk")
        noms = [nom.strip() for nom in cas.split(",") if nom.strip()]
        if unknown := set(noms) - set(CAS):
            raise CommandError(f"Cas inconnus : {', '.join(sorted(unknown))}")
        codes = list(Commune.objects.filter(point__isnull=False, commune_parente__isnull=True)
                     .order_by("-population", "code_insee").values_list("code_insee", flat=True)[:communes])
        self.stdout.write(f"{len(codes)} communes, rayon {rayon} km, {connexions} connexions, {duree} s par mesure")
        with tempfile.TemporaryDirectory() as dossier:
            for nom in noms:
                fichier = Path(dossier) / f"{nom}.txt"
                fichier.write_text("".join(CAS[nom].format(code=code, rayon=rayon) + "\n" for code in codes))
                for adresse in cible:
                    self._mesurer(nom, adresse, fichier, connexions, duree, chauffe, debit)

    def _mesurer(self, nom, adresse, fichier, connexions, duree, chauffe, debit):
        if chauffe:
            run_wrk(adresse, fichier, connexions=connexions, duree=chauffe)
        r = run_wrk(adresse, fichier, connexions=connexions, duree=duree)
        self.stdout.write(f"{nom:12} {adresse:28} saturation : {r['req_s']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms"
                          f"  p95 {r['p95_ms']:6.1f} ms  erreurs {erreurs(r)} / {int(r['requetes'])}")
        if debit:
            # Fewer connections than at saturation: each one waits between its requests to keep the rate.
            r = run_wrk(adresse, fichier, connexions=min(connexions, 16), duree=duree, debit=debit)
            self.stdout.write(f"{nom:12} {adresse:28} à {debit} req/s : {r['req_s']:7.1f} req/s  "
                              f"p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  erreurs {erreurs(r)}")
