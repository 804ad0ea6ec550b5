"""Load test: N families fill in and send the demande form at the same time against a running server.

Run it on a test site (it creates demandes, then deletes them): the server must share this database.
Every demande comes from an address of its own (X-Forwarded-For, 10.x.y.z, new for each run), as behind a
load balancer: the server must believe loopback (TRUSTED_PROXIES=127.0.0.1, as `make prod` does), or run
with its rate limit off (RATELIMIT_ENABLE=false), else the form's limit of 5 demandes an hour applies.

Each family is a browser of its own (cookies), one demande after the other until the end of the run: the
first page, then each step posted and the page it leads to, to the confirmation. `--pause 3` makes each
family take 3 seconds on each page on average before sending it (a person reading and typing: from 1.5 to
4.5 s), the families arriving over the time of one form; without it, they all start at once and send as fast
as the server answers (the most demandes a minute it sustains).

Emails: with `--smtp PORT`, the command listens on 127.0.0.1:PORT (start the Celery worker with
EMAIL_URL=smtp://127.0.0.1:PORT) and counts what arrives, per recipient and demande reference: each one
expected must arrive exactly once. Without it, it reads the outbox (sent, and with more than one attempt).
"""

import datetime
import http.cookiejar
import random
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benchmarks.smtp_sink import SmtpSink
from demandes.models import OBJET_NOTIFICATIONS, Demande
from linf.selectors import linfs_serving, persons_of
from notifications.models import Notification
from structures.models import Commune

MARKER = "charge.monenfant.invalid"
START = "/demande-information/"
SUBJECT_LINF = "monenfant : une nouvelle demande"
FIRST_PAGE = "page d'accueil du formulaire"


STEPS = 7  # pages sent, the first (commune) to the last (recapitulatif)


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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Each request is timed on its own: the family's browser follows the redirection itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Family(threading.Thread):
    """One browser: its own cookies, one demande after the other until the end of the run."""

    # The addresses of one run (10.<run>.<family>.<demande>): the limits an earlier run counted do not apply.
    reseau = random.randrange(1, 255)

    def __init__(self, number: int, base: str, commune: Commune, until: float, pause: float = 0.0):
        super().__init__(daemon=True)
        self.number, self.base, self.commune, self.until, self.pause = number, base, commune, until, pause
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.requests: list[float] = []
        self.steps: dict[str, list[float]] = {}  # a step: the POST and the page it leads to
        self.submissions: list[float] = []
        self.references: list[str] = []
        self.errors: Counter = Counter()
        self.random = random.Random(number)  # the same run each time

    def _call(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """(status, where a redirection goes, else "")."""
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                response.read()
                return response.status, ""
        except urllib.error.HTTPError as error:
            if error.code not in (301, 302, 303):
                raise
            error.read()
            return error.code, urllib.parse.urlsplit(error.headers["Location"]).path
        finally:
            self.requests.append(time.perf_counter() - started)

    def _step(self, name: str, data: dict) -> str:
        """Post a step, then load the page it leads to; returns that page's path."""
        started = time.perf_counter()
        _, location = self._call(f"{START}etape/{name}/", data)
        if not location:
            raise ValueError(f"étape {name} refusée")
        self._call(location)
        self.steps.setdefault(name, []).append(time.perf_counter() - started)
        return location

    def _think(self):
        # Between half and one and a half times the pause: identical people would stay in step and all send
        # their demande within the same seconds, which no real crowd does.
        if self.pause:
            time.sleep(self.random.uniform(0.5, 1.5) * self.pause)

    def run(self):
        if self.pause:
            # Families arrive over the time of one form, so that they are at every step at once.
            time.sleep(self.random.uniform(0, self.pause * (STEPS + 1)))
        i = 0
        while time.monotonic() < self.until:
            started = time.perf_counter()
            try:
                self._one_demande(f"famille-{self.number}-{i}")
                self.submissions.append(time.perf_counter() - started)
            except urllib.error.HTTPError as error:
                self.errors[f"HTTP {error.code}"] += 1
            except ValueError as error:
                self.errors[str(error)] += 1
            except OSError as error:
                self.errors[type(error).__name__] += 1
            i += 1

    def _one_demande(self, family: str) -> None:
        envoyees = len(self.references) + sum(self.errors.values())
        # Over https, Django's CSRF check wants the page the form came from, as a browser sends it.
        self.opener.addheaders = [("X-Forwarded-For", f"10.{self.reseau}.{self.number % 250}.{envoyees % 250 + 1}"),
                                  ("Referer", f"{self.base}{START}")]
        first = time.perf_counter()
        self._call(START)
        self.steps.setdefault(FIRST_PAGE, []).append(time.perf_counter() - first)
        location = ""
        for name, data in _steps(self.commune, family):
            self._think()
            location = self._step(name, data)
        if "/confirmation/" not in location:
            raise ValueError("pas de confirmation")
        self.references.append(location.rstrip("/").rsplit("/", 1)[-1])


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else (values[0] if values else 0.0)


def _ms(values: list[float]) -> str:
    return f"médiane {statistics.median(values) * 1000:.0f} ms, p95 {_p95(values) * 1000:.0f} ms"


class Command(BaseCommand):
    help = "Test de charge : des familles envoient des demandes en même temps à un serveur lancé (base de test)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--familles", type=int, default=50)
        parser.add_argument("--duree", type=int, default=60, help="secondes (une demande commencée va à son terme)")
        parser.add_argument("--pause", type=float, default=0.0,
                            help="secondes passées en moyenne par chaque famille sur chaque page avant de l'envoyer (0 : aucune)")
        parser.add_argument("--commune", default="43157", help="code INSEE d'une commune servie par un guichet ouvert")
        parser.add_argument("--smtp", type=int, default=0,
                            help="port local où recevoir les courriels (le worker Celery a EMAIL_URL=smtp://127.0.0.1:PORT)")
        parser.add_argument("--attente", type=int, default=120, help="secondes laissées aux envois de courriels")
        parser.add_argument("--garder", action="store_true", help="ne pas supprimer les demandes créées")

    def handle(self, *args, url, familles, duree, pause, commune, smtp, attente, garder, **options):
        commune = Commune.objects.filter(code_insee=commune).first()
        if commune is None or not linfs_serving(commune).exists():
            raise CommandError("Choisissez une commune servie par un guichet ouvert (make data ouvre ceux de 43157 et 64445).")
        persons = [p.email.lower() for p in persons_of(linfs_serving(commune))]
        self._clean_up(Demande.objects.filter(email__endswith=f"@{MARKER}"))
        started_at = timezone.now()
        sink = SmtpSink(smtp).__enter__() if smtp else None
        try:
            threads, wall = self._run_families(url, familles, duree, commune, pause)
            references = [r for t in threads for r in t.references]
            expected = Counter([(email.lower(), ref) for ref, email in self._families(references)]
                               + [(p, ref) for ref in references for p in persons])
            emails = self._wait_for_emails(sink, references, expected, attente)
        finally:
            if sink is not None:
                sink.__exit__()
        stored = Demande.objects.filter(email__endswith=f"@{MARKER}", cree_le__gte=started_at)
        lost = len(references) - stored.filter(reference__in=references).count()
        self._report(familles=familles, wall=wall, url=url, pause=pause, threads=threads, stored=stored.count(),
                     lost=lost, emails=emails)
        ok = not emails["problemes"] and not lost and not any(t.errors for t in threads)
        if not garder:
            self._clean_up(stored)
        if not ok:
            raise CommandError("Des demandes ou des courriels manquent ou sont en double : voir ci-dessus.")
        self.stdout.write(self.style.SUCCESS("Chaque demande est enregistrée et chaque courriel attendu part une fois."))

    @staticmethod
    def _families(references: list[str]) -> list[tuple[str, str]]:
        return list(Demande.objects.filter(reference__in=references).values_list("reference", "email"))

    @staticmethod
    def _run_families(url, familles, duree, commune, pause):
        """Every family's thread run until the end of the duration; returns them and the wall time."""
        until = time.monotonic() + duree
        threads = [Family(n, url.rstrip("/"), commune, until, pause) for n in range(familles)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return threads, time.perf_counter() - wall

    def _wait_for_emails(self, sink, references, expected: Counter, attente: int) -> dict:
        """What arrived at the sink (or what the outbox says it sent) against what each demande should send."""
        deadline = time.monotonic() + attente
        if sink is not None:
            while not all(sink.pairs[pair] for pair in expected) and time.monotonic() < deadline:
                time.sleep(1)
            time.sleep(2)  # a late duplicate of the last ones still counts
            received = Counter({pair: n for pair, n in sink.pairs.items() if pair in expected})
            twice = sum(1 for n in received.values() if n > 1)
            missing = sum(1 for pair in expected if not received[pair])
            return {"attendus": len(expected), "recus": sum(received.values()), "doubles": twice, "manquants": missing,
                    "source": f"serveur SMTP local ({sink.messages} messages)", "verbe": "reçus", "problemes": twice + missing}
        rows = self._outbox(references)
        while rows.filter(envoyee_le__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(1)
        sent = rows.filter(envoyee_le__isnull=False)
        twice = sent.filter(tentatives__gt=1).count()
        missing = len(expected) - sent.count()
        return {"attendus": len(expected), "recus": sent.count(), "doubles": twice, "manquants": missing,
                "source": "boîte d'envoi (plus d'une tentative : peut-être envoyé deux fois)", "verbe": "envoyés",
                "problemes": twice + abs(missing) + (rows.count() - len(expected))}

    @staticmethod
    def _outbox(references: list[str]):
        """The rows of these demandes: the family's by their key, the LINF persons' by the reference in the body."""
        ids = set(Notification.objects.filter(objet__in=[f"{OBJET_NOTIFICATIONS}{r}" for r in references])
                  .values_list("pk", flat=True))
        linf = Notification.objects.filter(sujet__startswith=SUBJECT_LINF, destinataires__regex=r"^[^,]+$")
        for reference in references:
            ids.update(linf.filter(corps__contains=reference).values_list("pk", flat=True))
        return Notification.objects.filter(pk__in=ids)

    def _report(self, *, familles, wall, url, pause, threads, stored, lost, emails):
        w = self.stdout.write
        submissions = [s for t in threads for s in t.submissions]
        requests = [r for t in threads for r in t.requests]
        errors = sum((t.errors for t in threads), Counter())
        w(f"{familles} familles pendant {wall:.0f} s contre {url}, "
          + (f"{pause:g} s sur chaque page" if pause else "sans pause entre les pages"))
        w(f"Demandes confirmées : {len(submissions)} ({len(submissions) / wall * 60:.0f}/min), enregistrées : {stored}, "
          f"perdues : {lost}")
        if requests:
            w(f"Requêtes : {len(requests)} ({len(requests) / wall:.1f}/s), {_ms(requests)}")
        if submissions:
            w("Formulaire complet (pauses comprises) : médiane "
              f"{statistics.median(submissions):.1f} s, p95 {_p95(submissions):.1f} s")
        w("Par étape (l'envoi et la page où il mène) :")
        names = dict.fromkeys(name for t in threads for name in t.steps)  # in the order of the form
        for name in names:
            values = [v for t in threads for v in t.steps.get(name, [])]
            w(f"  {name:30} {len(values):5}  {_ms(values)}")
        w(f"Courriels ({emails['source']}) : {emails['recus']} {emails['verbe']} pour {emails['attendus']} attendus, "
          f"{emails['doubles']} en double, {emails['manquants']} manquants")
        w(f"Erreurs : {dict(errors) or 'aucune'}")

    def _clean_up(self, stored):
        references = list(stored.values_list("reference", flat=True))
        self._outbox(references).delete()
        Notification.objects.filter(destinataires__endswith=f"@{MARKER}").delete()
        stored.delete()
