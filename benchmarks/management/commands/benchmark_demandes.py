"""Load test: N families fill in and send the demande form at the same time against a running server.

Run it on a test site (it creates demandes, then deletes them): the server must share this database,
and its rate limit must be off for the run (RATELIMIT_ENABLE=false), as every family comes from 127.0.0.1.
"""

import datetime
import http.cookiejar
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demandes.models import Demande
from linf.selectors import linfs_serving, persons_of
from notifications.models import Notification
from structures.models import Commune

MARKER = "charge.monenfant.invalid"


def _steps(commune: Commune, family: str) -> list[tuple[str, dict]]:
    today = timezone.localdate()
    return [
        ("commune", {"commune": str(commune), "code_insee": commune.code_insee}),
        ("vous", {"qualite": "parent", "allocataire": "0", "situation": "emploi"}),
        ("enfants", {"enfants-TOTAL_FORMS": "1", "enfants-INITIAL_FORMS": "0", "enfants-MIN_NUM_FORMS": "0",
                     "enfants-MAX_NUM_FORMS": "6", "enfants-0-date_naissance": (today - datetime.timedelta(days=300)).isoformat()}),
        ("besoin", {"besoin": "creche", "a_partir_du": (today + datetime.timedelta(days=60)).isoformat()}),
        ("contact", {"prenom": "Camille", "nom": "Charge", "email": f"{family}@{MARKER}", "moyen_prefere": "email"}),
        ("message", {"message": "Test de charge"}),
        ("recapitulatif", {"consentement": "on"}),
    ]


class Family(threading.Thread):
    """One browser: its own cookies, one demande after the other until the end of the run."""

    def __init__(self, number: int, base: str, commune: Commune, until: float):
        super().__init__(daemon=True)
        self.number, self.base, self.commune, self.until = number, base, commune, until
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.requests: list[float] = []
        self.submissions: list[float] = []
        self.errors: Counter = Counter()

    def _call(self, path: str, data: dict | None = None) -> str:
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                url = response.geturl()
                response.read()
        finally:
            self.requests.append(time.perf_counter() - started)
        return url

    def run(self):
        i = 0
        while time.monotonic() < self.until:
            family = f"famille-{self.number}-{i}"
            started = time.perf_counter()
            try:
                self._call("/demande-information/")
                for name, data in _steps(self.commune, family):
                    url = self._call(f"/demande-information/etape/{name}/", data)
                if "/confirmation/" not in url:
                    self.errors["pas de confirmation"] += 1
                    continue
                self.submissions.append(time.perf_counter() - started)
            except urllib.error.HTTPError as error:
                self.errors[f"HTTP {error.code}"] += 1
            except OSError as error:
                self.errors[type(error).__name__] += 1
            i += 1


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else (values[0] if values else 0.0)


class Command(BaseCommand):
    help = "Test de charge : des familles envoient des demandes en même temps à un serveur lancé (base de test)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--familles", type=int, default=50)
        parser.add_argument("--duree", type=int, default=60, help="secondes")
        parser.add_argument("--commune", default="43157", help="code INSEE d'une commune servie par un guichet ouvert")
        parser.add_argument("--attente", type=int, default=120, help="secondes laissées aux envois de courriels")
        parser.add_argument("--garder", action="store_true", help="ne pas supprimer les demandes créées")

    def handle(self, *args, url, familles, duree, commune, attente, garder, **options):
        commune = Commune.objects.filter(code_insee=commune).first()
        if commune is None or not linfs_serving(commune).exists():
            raise CommandError("Choisissez une commune servie par un guichet ouvert (make data ouvre ceux de 43157 et 64445).")
        linf_emails = 1 if persons_of(linfs_serving(commune)) else 0
        Demande.objects.filter(email__endswith=f"@{MARKER}").delete()
        started_at = timezone.now()
        threads, wall = self._run_families(url, familles, duree, commune)

        submissions = [s for t in threads for s in t.submissions]
        requests = [r for t in threads for r in t.requests]
        errors = sum((t.errors for t in threads), Counter())
        stored = Demande.objects.filter(email__endswith=f"@{MARKER}", cree_le__gte=started_at)
        notifications = Notification.objects.filter(cree_le__gte=started_at)
        self._wait_for_emails(notifications, attente)
        expected = len(submissions) * (1 + linf_emails)
        sent = notifications.filter(envoyee_le__isnull=False)

        self._report(familles=familles, wall=wall, url=url, submissions=submissions, requests=requests,
                     stored=stored, sent=sent, expected=expected, notifications=notifications, errors=errors)
        ok = not errors and stored.count() == len(submissions) and sent.count() == notifications.count() == expected
        if not garder:
            self._clean_up(notifications, stored)
        if not ok:
            raise CommandError("Des demandes ou des courriels manquent : voir ci-dessus.")
        self.stdout.write(self.style.SUCCESS("Chaque demande est enregistrée et chaque courriel envoyé une fois."))

    @staticmethod
    def _run_families(url, familles, duree, commune):
        """Every family's thread run until the end of the duration; returns them and the wall time."""
        until = time.monotonic() + duree
        threads = [Family(n, url.rstrip("/"), commune, until) for n in range(familles)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return threads, time.perf_counter() - wall

    @staticmethod
    def _wait_for_emails(notifications, attente):
        deadline = time.monotonic() + attente
        while notifications.filter(envoyee_le__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(1)

    def _report(self, *, familles, wall, url, submissions, requests, stored, sent, expected, notifications, errors):
        twice = sent.filter(tentatives__gt=1).count()
        w = self.stdout.write
        w(f"{familles} familles pendant {wall:.0f} s contre {url}")
        w(f"Demandes envoyées : {len(submissions)} ({len(submissions) / wall * 60:.0f}/min), enregistrées : {stored.count()}")
        if submissions:
            w(f"Parcours complet (8 requêtes + redirections) : médiane {statistics.median(submissions) * 1000:.0f} ms, "
              f"p95 {_p95(submissions) * 1000:.0f} ms")
        if requests:
            w(f"Requêtes : {len(requests)} ({len(requests) / wall:.0f}/s), médiane {statistics.median(requests) * 1000:.0f} ms, "
              f"p95 {_p95(requests) * 1000:.0f} ms")
        w(f"Courriels : {sent.count()} envoyés sur {expected} attendus, {notifications.count()} dans la boîte d'envoi, "
          f"{twice} avec plus d'une tentative")
        w(f"Erreurs : {dict(errors) or 'aucune'}")

    @staticmethod
    def _clean_up(notifications, stored):
        notifications.filter(destinataires__endswith=f"@{MARKER}").delete()
        notifications.filter(sujet__startswith="monenfant : une nouvelle demande").delete()
        stored.delete()
