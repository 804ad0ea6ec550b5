"""make prod-check: break the topology of `make prod` one fault at a time, under load, and say what users saw.

Run by scripts/prod-check.sh with the topology's environment (var/prod/env): this process reads and writes
the same database, drives nginx over HTTPS like browsers do, and stops, kills and restarts the services
through scripts/prod.sh. Families come from distinct addresses (X-Forwarded-For, believed from loopback as
from a load balancer: TRUSTED_PROXIES), so that each one stays within the form's rate limit.

For each fault, one row: requests made, requests failed, recovery time (from the end of the fault until
the service is whole again: every request answered and every email of the run delivered), demandes lost
(a family saw its confirmation and the demande is not in the database) and emails sent twice (one
Message-ID received twice by the SMTP sink: only the window README's "Mail" names).
"""

import email
import email.policy
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks.management.commands.benchmark_demandes import MARKER, Family
from demandes.models import OBJET_NOTIFICATIONS, Demande
from habilitations.enums import Role
from habilitations.models import Affectation, User
from notifications.models import Notification
from structures.models import Commune, Structure

PROD = Path(settings.BASE_DIR) / "scripts" / "prod.sh"
SEARCHES = [
    "/api/structures/?commune=43157&rayon=10",
    "/api/structures/?commune=64445&rayon=20&rubrique=EAJE",
    "/recherche/?commune=Le+Puy-en-Velay&code_insee=43157&rayon_km=10",
    "/",
]
FRENCH_503 = "momentanément indisponible"


@dataclass
class Ligne:
    panne: str
    requetes: int = 0
    echecs: int = 0
    retablissement_s: float | None = None
    perdues: int = 0
    doublons: int = 0
    notes: list[str] = field(default_factory=list)


class Searches(threading.Thread):
    """Browsers asking for searches and pages in a loop; each answer noted with its time."""

    def __init__(self, base: str, until: float, number: int):
        super().__init__(daemon=True)
        self.base, self.until, self.number = base, until, number
        self.results: list[tuple[float, int, str]] = []  # (monotonic time, status, French 503 page or not)

    def run(self):
        i = self.number
        while time.monotonic() < self.until:
            path = SEARCHES[i % len(SEARCHES)]
            i += 1
            status, body = _get(self.base + path)
            self.results.append((time.monotonic(), status, body))


def _get(url: str, headers: dict | None = None, body: bool = False) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (the check's own https base)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace") if body else ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError as error:
        return 0, type(error).__name__


class Command(BaseCommand):
    help = "Casse la topologie de `make prod` une panne après l'autre et imprime le tableau (docs/prod-check.md)."

    def add_arguments(self, parser):
        parser.add_argument("--base", default=os.environ.get("SITE_URL", "https://localhost:8443"))
        parser.add_argument("--rapport", help="fichier Markdown où écrire le tableau")
        parser.add_argument("--seulement", help="une panne : gunicorn, postgresql, redis, worker, smtp-muet, smtp-refus")

    def handle(self, *args, base, rapport, seulement, **options):
        self.base = base.rstrip("/")
        self.prod_dir = Path(os.environ.get("PROD_DIR", Path(settings.BASE_DIR) / "var" / "prod"))
        self.courriels = self.prod_dir / "courriels"
        if _get(self.base + "/sante/pret/")[0] != 200:
            raise CommandError(f"La topologie ne répond pas prête sur {self.base} : lancez d'abord `make prod`.")
        self.commune = Commune.objects.get(code_insee="43157")
        self._clean()
        self._sink("accepte")
        depuis = timezone.now()
        faults = {
            "gunicorn": self.kill_gunicorn, "postgresql": self.restart_postgresql, "redis": self.stop_redis,
            "worker": self.kill_worker, "smtp-muet": self.hung_smtp, "smtp-refus": self.refusing_smtp,
        }
        started = time.monotonic()
        rows = []
        for name, fault in faults.items():
            if seulement and name != seulement:
                continue
            self.stdout.write(f"== {name}")
            row = fault()
            row.doublons = self._duplicates()
            for path in self.courriels.glob("*.eml"):
                path.unlink()
            rows.append(row)
            self.stdout.write(_table([row]).splitlines()[-1])
        self._sink("accepte")
        text = (
            "# Pannes de la topologie de production (make prod-check)\n\n"
            f"Dernier passage : {timezone.localtime():%d/%m/%Y %H:%M}, {os.cpu_count()} cœurs, sur `make prod` "
            f"({_nombre(Demande.objects.count())} demandes, {_nombre(Structure.objects.count())} fiches). Commande : `make prod` "
            "puis `make prod-check` ; une panne : `bash scripts/prod-check.sh --seulement redis`. Ce que chaque "
            "ligne vérifie : docs/deploy.md.\n\n"
            + _table(rows) + f"\n\nDurée totale : {(time.monotonic() - started) / 60:.1f} min.\n"
        )
        self.stdout.write("\n" + text)
        if rapport:
            Path(rapport).write_text(text, encoding="utf-8")
        self._clean(depuis)
        if any(row.perdues for row in rows):
            raise CommandError("Des demandes ont été perdues.")

    # Services ------------------------------------------------------------------------------------

    def _service(self, action: str, service: str) -> None:
        subprocess.run(["/bin/bash", str(PROD), action, service], check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def _kill(self, service: str) -> None:
        """SIGKILL to the service's whole process group: no goodbye, as when a machine loses a process."""
        pidfile = self.prod_dir / f"{service}.pid"
        os.killpg(int(pidfile.read_text()), signal.SIGKILL)
        pidfile.unlink()

    def _sink(self, mode: str) -> None:
        self.courriels.mkdir(parents=True, exist_ok=True)
        (self.courriels / "MODE").write_text(mode)

    # Load ------------------------------------------------------------------------------------------

    def _searches(self, seconds: float, threads: int = 6) -> list[Searches]:
        until = time.monotonic() + seconds
        workers = [Searches(self.base, until, n) for n in range(threads)]
        for worker in workers:
            worker.start()
        return workers

    def _families(self, seconds: float, count: int, pause: float = 0.5) -> list[Family]:
        until = time.monotonic() + seconds
        families = [Family(n, self.base, self.commune, until, pause=pause) for n in range(count)]
        for family in families:
            family.start()
        return families

    # Faults ----------------------------------------------------------------------------------------

    def kill_gunicorn(self) -> Ligne:
        row = Ligne("Un serveur gunicorn tué (SIGKILL) pendant des recherches")
        workers = self._searches(24)
        time.sleep(6)
        self._kill("web1")
        time.sleep(8)
        self._service("start-one", "web1")
        back = time.monotonic()
        while _get("http://127.0.0.1:8001/sante/")[0] != 200:
            time.sleep(0.1)
        row.retablissement_s = time.monotonic() - back
        row.notes.append("redémarré après 8 s, comme systemd le ferait (Restart=always)")
        self._count_searches(row, workers)
        return row

    def restart_postgresql(self) -> Ligne:
        row = Ligne("PostgreSQL arrêté 5 s puis redémarré pendant des recherches")
        workers = self._searches(30)
        time.sleep(6)
        down = time.monotonic()  # before the command: the server stops while pg_ctl waits for it
        self._service("stop-one", "pg")
        time.sleep(5)
        self._service("start-one", "pg")
        up = time.monotonic()
        connections.close_all()  # this process's own connection went with the server
        self._count_searches(row, workers)
        results = [r for w in workers for r in w.results]
        failed = [r for r in results if r[1] != 200]
        outside = [r for r in failed if not down - 1 <= r[0] <= up + 30]
        french = [r for r in failed if r[1] == 503 and FRENCH_503 in r[2]]
        last_failure = max((r[0] for r in failed), default=up)
        row.retablissement_s = max(0.0, last_failure - up)
        statuses = Counter(r[1] for r in failed)
        row.notes.append(", ".join(f"{n} × {status or 'sans réponse'}" for status, n in sorted(statuses.items())))
        row.notes.append(f"{len(french)} des {len(failed)} échecs : page 503 en français ; "
                         f"{len(outside)} hors de l'arrêt ; serveurs d'application non redémarrés")
        return row

    def stop_redis(self) -> Ligne:
        row = Ligne("Redis arrêté 20 s pendant que des familles envoient")
        families = self._families(45, 8)
        time.sleep(10)
        self._service("stop-one", "redis")
        time.sleep(20)
        self._service("start-one", "redis")
        back = time.monotonic()
        self._finish_families(row, families)
        row.retablissement_s = self._emails_delivered(back)
        return row

    def kill_worker(self) -> Ligne:
        row = Ligne("Worker Celery tué (SIGKILL) pendant un envoi")
        self._sink("lent")
        families = self._families(12, 3, pause=0)
        before = self._received()
        deadline = time.monotonic() + 60
        while self._received() == before and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # the sink holds the message it has just accepted: the worker waits for its "250"
        self._kill("worker")
        accepted = {_notification_pk(path) for path in self.courriels.glob("*.eml")}
        window = Notification.objects.filter(pk__in=accepted, envoyee_le__isnull=True).count()
        self._sink("accepte")
        time.sleep(2)
        self._service("start-one", "worker")
        back = time.monotonic()
        self._finish_families(row, families)
        row.retablissement_s = self._emails_delivered(back)
        row.notes.append(f"tué quand {window} courriel(s) étaient acceptés par le relais et pas encore marqués "
                         "envoyés : la fenêtre du README")
        return row

    def hung_smtp(self) -> Ligne:
        row = Ligne("Relais SMTP muet 40 s (accepte la connexion, ne répond pas)")
        self._sink("muet")
        families = self._families(30, 6)
        time.sleep(40)
        self._sink("accepte")
        back = time.monotonic()
        self._finish_families(row, families)
        slowest = max((t for f in families for t in f.requests), default=0)
        row.notes.append(f"requête la plus lente des familles : {slowest * 1000:.0f} ms")
        row.retablissement_s = self._emails_delivered(back)
        return row

    def refusing_smtp(self) -> Ligne:
        row = Ligne("Relais SMTP qui refuse (550)")
        self._sink("refus")
        since = timezone.now()
        families = self._families(15, 3)
        self._finish_families(row, families)
        deadline = time.monotonic() + 60
        echecs = Notification.objects.none()
        while time.monotonic() < deadline:
            echecs = Notification.objects.filter(cree_le__gte=since, echec_le__isnull=False)
            if echecs.count() and not Notification.objects.filter(cree_le__gte=since, echec_le__isnull=True,
                                                                 envoyee_le__isnull=True).exists():
                break
            time.sleep(1)
        self._sink("accepte")
        shown = self._back_office_shows(echecs.count())
        row.notes.append(f"{echecs.count()} courriels en échec, non réessayés ; "
                         f"{'affichés' if shown else 'NON affichés'} dans « Courriels en attente et en échec »")
        if not shown:
            row.echecs += 1
        return row

    # Measures --------------------------------------------------------------------------------------

    def _count_searches(self, row: Ligne, workers: list[Searches]) -> None:
        for worker in workers:
            worker.join()
        results = [r for w in workers for r in w.results]
        row.requetes += len(results)
        row.echecs += sum(1 for r in results if r[1] != 200)

    def _finish_families(self, row: Ligne, families: list[Family]) -> None:
        for family in families:
            family.join()
        row.requetes += sum(len(f.requests) for f in families)
        errors = Counter()
        for family in families:
            errors.update(family.errors)
        row.echecs += sum(errors.values())
        references = [ref for f in families for ref in f.references]
        saved = set(Demande.objects.filter(reference__in=references).values_list("reference", flat=True))
        row.perdues += len(set(references) - saved)
        self._references |= set(references)
        row.notes.append(f"{len(references)} demandes confirmées aux familles, {len(saved)} en base"
                         + (f" ; erreurs : {dict(errors)}" if errors else ""))

    def _received(self) -> int:
        return sum(1 for _ in self.courriels.glob("*.eml"))

    def _emails_delivered(self, since_monotonic: float, limit: float = 420) -> float | None:
        """Seconds until every email of the demandes of the run is sent; then the duplicates are counted."""
        objets = [f"{OBJET_NOTIFICATIONS}{ref}" for ref in self._references]
        while time.monotonic() - since_monotonic < limit:
            if not Notification.objects.filter(objet__in=objets, envoyee_le__isnull=True).exists():
                return time.monotonic() - since_monotonic
            time.sleep(2)
        return None

    def _duplicates(self) -> int:
        ids = Counter()
        for path in self.courriels.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            ids[message.get("Message-ID", path.name)] += 1
        return sum(n - 1 for n in ids.values() if n > 1)

    def _back_office_shows(self, failures: int) -> bool:
        """The CNAF's page "Courriels en attente et en échec", through nginx, lists the failures with the relay's
        answer. The check's person is given a session as if it had logged in with its second factor."""
        user, _ = User.objects.get_or_create(email=f"verification@{MARKER}", defaults={"is_staff": True})
        Affectation.objects.get_or_create(user=user, role=Role.CNAF_ADMIN)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="prod-check", defaults={"confirmed": True})
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
                        HASH_SESSION_KEY: user.get_session_auth_hash(), DEVICE_ID_SESSION_KEY: device.persistent_id})
        session.create()
        status, page = _get(self.base + "/administration/notifications/notification/?etat=echec",
                            {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}, body=True)
        session.delete()
        return status == 200 and failures > 0 and page.count("destinataire refuse") >= min(failures, 20)

    def _clean(self, depuis=None) -> None:
        """What the check made: its demandes, their emails and the others of the run, its person."""
        if depuis is not None:
            Notification.objects.filter(cree_le__gte=depuis).delete()
        Demande.objects.filter(email__endswith=MARKER).delete()
        User.objects.filter(email=f"verification@{MARKER}").delete()
        for path in self.courriels.glob("*.eml"):
            path.unlink()
        self._references = set()


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _notification_pk(path: Path) -> int | None:
    """The outbox row of a message the sink kept, from its Message-ID (notifications.tasks.message_id)."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    identifiant = str(message.get("Message-ID", ""))
    if identifiant.startswith("<notification-"):
        return int(identifiant.removeprefix("<notification-").split(".", 1)[0])
    return None


def _table(rows: list[Ligne]) -> str:
    lines = ["| panne | requêtes | en échec | rétablissement | demandes perdues | courriels en double | observé |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        recovery = "—" if row.retablissement_s is None else f"{row.retablissement_s:.0f} s"
        lines.append(f"| {row.panne} | {row.requetes} | {row.echecs} | {recovery} | {row.perdues} | {row.doublons} "
                     f"| {' ; '.join(row.notes)} |")
    return "\n".join(lines)
