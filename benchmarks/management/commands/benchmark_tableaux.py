"""p50 / p95 of the CAF and CNAF dashboards at national scale: 300,000 fiches, 1,000,000 demandes.

Fills, in SQL, what a few years of service leave behind: the live demandes (six months at most), the
anonymous counts of 24 months, unmet demand, 60 days of usage counters, 3,000 habilitated persons
with a year of activity, 24 coverage snapshots; then times each dashboard page through the whole
Django stack in-process, as the CNAF (the country) and as an agent of the busiest CAF. PostgreSQL only.

Run it on a database kept for benchmarks (as benchmark_purge): its demandes and persons are marked
and removed by --nettoyer, but the aggregates it writes look like real ones and stay (a second run
adds none).
"""

import datetime
import random
import statistics
import time

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from demandes.enums import EvenementUsage as EvenementsDemandes
from demandes.models import Demande, DemandeNonServie, RecapitulatifBesoins, StatistiqueDemande
from demandes.recapitulatif import rollup_tout
from habilitations.enums import Role
from habilitations.models import ActiviteMensuelle, Affectation, User
from linf.models import InstantaneCouverture
from linf.selectors import couverture
from linf.services import snapshot_couverture
from structures.enums import EvenementUsage, Rubrique
from structures.models import Caf, Commune, CompteurUsage, Structure

MARK = "benchmark-tableaux@example.invalid"
PERSON_DOMAIN = "@personnes.benchmark.invalid"
TOP_COMMUNES = 5000
AGES = ("a_naitre", "0-1", "1-3", "3-6")

# The dashboards, as (name, url); {dep} is the agent's département.
PAGES = [
    ("accueil du back office", "/administration/"),
    ("couverture", "/administration/linf/objectifcouverture/"),
    ("carte de couverture (JSON)", "/administration/linf/objectifcouverture/carte.json?departement={dep}"),
    ("suivi des demandes", "/administration/demandes/demande/"),
    ("habilitations et conventions", "/administration/habilitations/demandehabilitation/"),
    ("couverture, instantanés (CSV)", "/administration/linf/objectifcouverture/instantanes.csv"),
    ("besoins et offre", "/administration/demandes/besoinsoffre/"),
    ("besoins et offre, un département", "/administration/demandes/besoinsoffre/?departement={dep}"),
    ("besoins et offre (CSV)", "/administration/demandes/besoinsoffre/?departement={dep}&export=comparaison"),
    ("usage du site", "/administration/structures/usagedusite/"),
    ("usage du site, un département", "/administration/structures/usagedusite/?departement={dep}"),
    ("contrôle des connexions", "/administration/habilitations/controleconnexions/"),
    ("contrôle des connexions (CSV)", "/administration/habilitations/controleconnexions/export.csv"),
]
PERSONS = 3000  # habilitated persons, one LINF each
VIEWED_PER_DAY = 10_000  # distinct fiches viewed in a day
DAYS = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _verify_second_factor(client: Client, user: User) -> None:
    """The back office wants a second factor: this session counts as verified by a confirmed app, as if
    the person had typed its code (force_login skips the password only)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="application d'authentification", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class Command(BaseCommand):
    help = "Remplit 1 000 000 de demandes et leurs agrégats, puis mesure p50 et p95 des tableaux de bord."

    def add_arguments(self, parser):
        parser.add_argument("--demandes", type=int, default=1_000_000)
        parser.add_argument("--requetes", type=int, default=40, help="requêtes par page et par personne")
        parser.add_argument("--garder", action="store_true", help="réutiliser les données d'un passage précédent")
        parser.add_argument("--nettoyer", action="store_true", help="supprimer les demandes du benchmark et sortir")

    def handle(self, *args, demandes, requetes, garder, nettoyer, **options):
        if nettoyer:
            self._clean()
            self.stdout.write("Données du benchmark supprimées.")
            return
        if connection.vendor != "postgresql":
            raise CommandError("Ce benchmark vise la production : lancez-le avec DATABASE_URL=postgis://…")
        fiches = Structure.objects.count()
        if fiches < 1000:
            raise CommandError("Trop peu de fiches : lancez d'abord python manage.py generate_national")
        if not (garder and Demande.objects.filter(email=MARK).exists()):
            self._clean()
            started = self._last = time.perf_counter()
            self._fill(demandes)
            self.stdout.write(f"Données créées en {time.perf_counter() - started:.0f} s")
        counts = {
            "fiches": fiches, "demandes": Demande.objects.count(), "statistiques": StatistiqueDemande.objects.count(),
            "non servies": DemandeNonServie.objects.count(), "compteurs d'usage": CompteurUsage.objects.count(),
            "personnes habilitées": User.objects.filter(email__endswith=PERSON_DOMAIN).count(),
            "activités mensuelles": ActiviteMensuelle.objects.count(),
            "instantanés de couverture": InstantaneCouverture.objects.count(),
            "récapitulatifs nationaux": RecapitulatifBesoins.objects.count(),
        }
        departement = (Commune.objects.filter(commune_parente__isnull=True).order_by("-population")
                       .values_list("departement", flat=True).first())
        results = self._measure(departement, requetes)
        self.stdout.write(
            f"\nBase {connection.vendor}, " + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items())
            + f" ; {requetes} requêtes par page et par personne, entrelacées.\n"
        )
        self.stdout.write("| page | qui | p50 (ms) | p95 (ms) |")
        self.stdout.write("|---|---|---:|---:|")
        for (name, who), values in results.items():
            self.stdout.write(f"| {name} | {who} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} |")
        worst = max(percentile(v, 0.95) for v in results.values())
        self.stdout.write(f"\np95 le plus lent : {worst:.1f} ms (objectif ≤ 200 ms)")

    # Measure -------------------------------------------------------------------------------

    def _people(self, departement: str) -> dict[str, User]:
        cnaf, _ = User.objects.get_or_create(email="cnaf.benchmark@example.invalid", defaults={"is_staff": True})
        Affectation.objects.get_or_create(user=cnaf, role=Role.CNAF_ADMIN)
        agent, _ = User.objects.get_or_create(email=f"agent.benchmark{departement}@example.invalid",
                                              defaults={"is_staff": True})
        Affectation.objects.get_or_create(user=agent, role=Role.CAF_AGENT, caf=Caf.objects.get(departement=departement))
        return {"CNAF": cnaf, f"agent CAF {departement}": agent}

    def _measure(self, departement: str, requetes: int) -> dict:
        clients = {}
        for who, user in self._people(departement).items():
            clients[who] = Client(HTTP_HOST="127.0.0.1")
            clients[who].force_login(user)
            _verify_second_factor(clients[who], user)
        pages = [(name, url.format(dep=departement)) for name, url in PAGES]
        results: dict[tuple[str, str], list[float]] = {}
        for round_ in range(requetes + 2):  # two warm-up rounds: connections, templates
            order = [(name, url, who) for name, url in pages for who in clients]
            random.Random(round_).shuffle(order)
            for name, url, who in order:
                started = time.perf_counter()
                # Over https as in production (SITE_HTTPS redirects plain http to it).
                response = clients[who].get(url, secure=True)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise CommandError(f"{url} ({who}) a répondu {response.status_code}")
                if round_ >= 2:
                    results.setdefault((name, who), []).append(elapsed)
        return results

    # Data ----------------------------------------------------------------------------------

    def _clean(self):
        # Plain DELETEs: the ORM would load a million demandes to cascade.
        mine = f"(SELECT id FROM demandes_demande WHERE email = '{MARK}')"
        with connection.cursor() as cursor:
            for table in ("demandes_enfant", "demandes_accesdemande", Demande.linfs.through._meta.db_table):
                cursor.execute(f"DELETE FROM {table} WHERE demande_id IN {mine}")
            cursor.execute(f"DELETE FROM demandes_demande WHERE email = '{MARK}'")
        User.objects.filter(email__endswith=PERSON_DOMAIN).delete()

    def _series(self, count: int) -> str:
        return f"generate_series(1, {count}) AS s(n)"

    @transaction.atomic
    def _fill(self, count: int):
        def days(e):
            return f"(now() - ({e}) * interval '1 day')"

        def plus(d, e):
            return f"({d} + ({e}) * interval '1 day')"

        def shift(d, k):
            return f"({d} - interval '{k} months')::date"

        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_linf")
            cursor.execute(
                "CREATE TEMP TABLE bench_linf AS SELECT sc.departement_id AS dep, MIN(s.id) AS linf FROM structures_structure s "
                "JOIN structures_commune sc ON sc.code_insee = s.commune_id WHERE s.rubrique = %s GROUP BY sc.departement_id",
                [Rubrique.LINF],
            )
            cursor.execute("DROP TABLE IF EXISTS bench_communes")
            cursor.execute(
                "CREATE TEMP TABLE bench_communes AS SELECT row_number() OVER (ORDER BY c.population DESC, c.code_insee) - 1 AS i, "
                "c.code_insee AS code, l.linf FROM structures_commune c LEFT JOIN bench_linf l ON l.dep = c.departement_id "
                "WHERE c.commune_parente_id IS NULL ORDER BY c.population DESC, c.code_insee "
                f"LIMIT {TOP_COMMUNES * 4}"
            )
            # Autovacuum never analyzes a temporary table, nor rows this transaction has not committed: without
            # statistics the planner joins a million demandes by nested loops (16 minutes on a fresh database).
            cursor.execute("ANALYZE bench_communes")
            self._step("communes et lieux d'information")
            created = days("s.n % 180")
            # Most demandes are opened within their LINF's delay: the unopened ones are recent, a few overdue.
            unopened = "(s.n % 180 < 20 AND s.n % 3 = 0)"
            besoin = "CASE s.n % 4 WHEN 0 THEN 'creche' WHEN 1 THEN 'assmat' WHEN 2 THEN 'garde_domicile' ELSE 'indecis' END"
            situation = "CASE s.n % 4 WHEN 0 THEN 'emploi' WHEN 1 THEN 'recherche' WHEN 2 THEN 'formation' ELSE 'autre' END"
            cursor.execute(
                "INSERT INTO demandes_demande (reference, commune_id, statut, qualite, allocataire, numero_allocataire, "
                "situation, besoin, a_partir_du, jours_horaires, horaires_atypiques, handicap, prenom, nom, email, telephone, "
                "moyen_prefere, moment_prefere, message, consentement_le, cree_le, traitee_le) "
                f"SELECT 'DB-' || s.n, c.code, CASE WHEN {unopened} THEN 'nouvelle' ELSE 'traitee' END, 'parent', true, '', "
                f"{situation}, {besoin}, '2027-01-04', '', s.n % 7 = 0, s.n % 23 = 0, 'Léa', 'Test', '{MARK}', '', 'email', "
                f"'', '', {created}, {created}, CASE WHEN {unopened} THEN NULL ELSE {plus(created, 's.n % 12')} END "
                f"FROM {self._series(count)} JOIN bench_communes c ON c.i = s.n % {TOP_COMMUNES}"
            )
            self._step(f"{count} demandes")
            # The same for the million rows just written: the statistics of an empty table would plan the joins
            # below by nested loops.
            cursor.execute("ANALYZE demandes_demande")
            cursor.execute(
                "INSERT INTO demandes_enfant (demande_id, date_naissance) SELECT id, '2025-03-01' FROM demandes_demande "
                f"WHERE email = '{MARK}'"
            )
            cursor.execute(
                f"INSERT INTO {Demande.linfs.through._meta.db_table} (demande_id, structure_id) SELECT d.id, c.linf "
                f"FROM demandes_demande d JOIN bench_communes c ON c.code = d.commune_id WHERE d.email = '{MARK}' "
                "AND c.linf IS NOT NULL"
            )
            self._step("enfants et lieux d'information des demandes")
            # The anonymous counts of these demandes, and of the 18 months before (their demandes purged).
            age = "CASE d.id % 4 " + " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(AGES)) + " END"
            delai = "CAST(EXTRACT(DAY FROM d.traitee_le - d.cree_le) AS integer)"
            grouped = (
                f"SELECT date_trunc('month', d.cree_le)::date AS mois, d.commune_id, c.linf, d.besoin, {age} AS tranche, d.horaires_atypiques, "
                f"d.handicap, d.situation, d.statut, {delai} AS delai, COUNT(*) AS nombre FROM demandes_demande d "
                f"JOIN bench_communes c ON c.code = d.commune_id WHERE d.email = '{MARK}' "
                f"GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
            )
            cursor.execute("DROP TABLE IF EXISTS bench_stats")
            cursor.execute(f"CREATE TEMP TABLE bench_stats AS {grouped}")
            cursor.execute("ANALYZE bench_stats")
            for k in (0, 6, 12, 18):
                cursor.execute(
                    "INSERT INTO demandes_statistiquedemande (mois, commune_id, linf_id, besoin, tranche_age, horaires_atypiques, "
                    f"handicap, situation, statut, delai_jours, premier_lieu, nombre) SELECT {shift('mois', k) if k else 'mois'}, "
                    "commune_id, linf, besoin, tranche, horaires_atypiques, handicap, situation, statut, delai, true, nombre "
                    "FROM bench_stats "
                    + ("" if k == 0 else "WHERE statut = 'traitee' ")
                    + "ON CONFLICT DO NOTHING"
                )
            self._step("statistiques anonymes (24 mois)")
            # Unmet demand: the less populated communes, every month of two years.
            start = timezone.localdate().replace(day=1).isoformat()
            start = f"DATE '{start}'"
            for k in range(24):
                cursor.execute(
                    "INSERT INTO demandes_demandenonservie (mois, commune_id, nombre) "
                    f"SELECT {shift(start, k)}, code, 1 + i % 5 FROM bench_communes "
                    f"WHERE i >= {TOP_COMMUNES} AND i % 2 = {k % 2} ON CONFLICT DO NOTHING"
                )
            self._step("demandes non servies (24 mois)")
            self._usage(cursor)
            self._step(f"compteurs d'usage ({DAYS} jours)")
        self._persons()
        self._step(f"{PERSONS} personnes habilitées et 12 mois d'activité")
        self._snapshots()
        self._step("24 instantanés mensuels de la couverture")
        rollup_tout()  # what the nightly task leaves for the national view of "Besoins et offre"
        self._step("récapitulatif national des besoins (24 mois)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have

    def _usage(self, cursor):
        """Fiche views, searches by département and rubrique, and the site-wide events, each day."""
        def day(k):
            return f"(CURRENT_DATE - {k})"

        cursor.execute("DROP TABLE IF EXISTS bench_fiches")
        cursor.execute("CREATE TEMP TABLE bench_fiches AS SELECT row_number() OVER (ORDER BY s.id) - 1 AS i, s.id, "
                       "c.departement_id AS dep, s.rubrique FROM structures_structure s "
                       "JOIN structures_commune c ON c.code_insee = s.commune_id")
        fiches = Structure.objects.count()
        cursor.execute(
            "INSERT INTO structures_compteurusage (jour, evenement, departement_id, rubrique, structure_id, cle, nombre) "
            f"SELECT {day('d.n - 1')}, '{EvenementUsage.FICHE_VUE}', f.dep, f.rubrique, f.id, '', 1 + (f.i + d.n) % 7 "
            f"FROM {self._series(DAYS).replace('AS s', 'AS d')} JOIN bench_fiches f "
            f"ON f.i >= (d.n * 7919) % {fiches} AND f.i < (d.n * 7919) % {fiches} + {VIEWED_PER_DAY} "
            "ON CONFLICT DO NOTHING"
        )
        # What structures.usage.count_fiche_view also writes: the département's and rubrique's total.
        cursor.execute(
            "INSERT INTO structures_compteurusage (jour, evenement, departement_id, rubrique, structure_id, cle, nombre) "
            f"SELECT jour, evenement, departement_id, rubrique, NULL, '', SUM(nombre) FROM structures_compteurusage "
            f"WHERE evenement = '{EvenementUsage.FICHE_VUE}' AND structure_id IS NOT NULL GROUP BY 1, 2, 3, 4 "
            "ON CONFLICT DO NOTHING"
        )
        rubriques = " UNION ALL ".join(f"SELECT '{r}' AS r" for r in [*Rubrique.values, ""])
        cursor.execute(
            "INSERT INTO structures_compteurusage (jour, evenement, departement_id, rubrique, structure_id, cle, nombre) "
            f"SELECT {day('d.n - 1')}, '{EvenementUsage.RECHERCHE}', dep.code, r.r, NULL, '', 1 + d.n % 40 "
            f"FROM {self._series(DAYS).replace('AS s', 'AS d')} CROSS JOIN structures_departement dep "
            f"CROSS JOIN ({rubriques}) r ON CONFLICT DO NOTHING"
        )
        # The simulator's code (simulateur.enums: demandes does not import the simulator), and the form's.
        for evenement in ("simulation", *EvenementsDemandes):
            cursor.execute(
                "INSERT INTO structures_compteurusage (jour, evenement, departement_id, rubrique, structure_id, cle, nombre) "
                f"SELECT {day('d.n - 1')}, '{evenement}', NULL, '', NULL, '', 100 + d.n "
                f"FROM {self._series(DAYS).replace('AS s', 'AS d')} ON CONFLICT DO NOTHING"
            )

    def _snapshots(self):
        """Two years of monthly coverage, growing towards today's."""
        rows = couverture()
        first = timezone.localdate().replace(day=1)
        InstantaneCouverture.objects.filter(mois__lt=first).delete()
        InstantaneCouverture.objects.bulk_create([
            InstantaneCouverture(mois=first - relativedelta(months=k), departement_id=r["departement"],
                                 communes=r["communes"], communes_couvertes=r["communes_couvertes"] * (24 - k) // 24,
                                 population_totale=r["population_totale"],
                                 population_couverte=r["population_couverte"] * (24 - k) // 24)
            for k in range(1, 24) for r in rows
        ])
        snapshot_couverture()

    def _persons(self):
        """Habilitated persons on LINF fiches across the country, with a year of logins and demandes."""
        linfs = list(Structure.objects.filter(rubrique=Rubrique.LINF).order_by("pk").values_list("pk", flat=True)[:PERSONS])
        User.objects.bulk_create([
            User(email=f"personne{i}{PERSON_DOMAIN}", first_name="Camille", last_name=f"Personne {i}",
                 password=make_password(None), last_login=timezone.now()) for i in range(len(linfs))
        ], batch_size=1000)
        users = list(User.objects.filter(email__endswith=PERSON_DOMAIN).order_by("pk"))
        Affectation.objects.bulk_create([Affectation(user=u, role=Role.LINF, structure_id=linf)
                                         for u, linf in zip(users, linfs, strict=False)], batch_size=1000)
        first = timezone.localdate().replace(day=1)
        months = [(first - datetime.timedelta(days=31 * k)).replace(day=1) for k in range(12)]
        ActiviteMensuelle.objects.bulk_create([
            ActiviteMensuelle(user=u, mois=m, connexions=1 + (u.pk + k) % 20, echecs=(u.pk + k) % 3,
                              demandes_ouvertes=(u.pk * k) % 40, demandes_exportees=(u.pk * k) % 25)
            for u in users for k, m in enumerate(months)
        ], batch_size=2000)

    def _step(self, what: str):
        now = time.perf_counter()
        self.stdout.write(f"  {what} : {now - getattr(self, '_last', now):.1f} s")
        self._last = now
