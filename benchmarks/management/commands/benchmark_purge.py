"""Measure the six-month purge: N expired demandes (one child, one LINF each), then purge_expired()."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demandes.models import Demande
from demandes.purge import BATCH, purge_expired
from structures.models import Structure

COLUMNS = ("reference, commune_id, statut, qualite, allocataire, numero_allocataire, situation, besoin, a_partir_du, "
           "jours_horaires, horaires_atypiques, handicap, prenom, nom, email, telephone, moyen_prefere, moment_prefere, "
           "message, consentement_le, cree_le")


class Command(BaseCommand):
    help = "Crée N demandes expirées puis mesure leur purge (à lancer sur une base de test)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--lot", type=int, default=BATCH, help="demandes par lot (une transaction chacun)")

    def handle(self, *args, count, lot, **options):
        linf = Structure.objects.filter(rubrique="LINF").first()
        if linf is None:
            raise CommandError("Chargez d'abord la démo (une fiche LINF est nécessaire).")
        started = time.perf_counter()
        self._insert(count, linf)
        self.stdout.write(f"{count} demandes expirées créées en {time.perf_counter() - started:.1f} s")
        report = purge_expired(batch=lot)
        self.stdout.write(self.style.SUCCESS(
            f"Purge ({connection.vendor}) : {report.demandes} demandes en {report.lots} lots, {report.secondes:.1f} s "
            f"({report.demandes / max(report.secondes, 0.001):,.0f} demandes/s)"
        ))

    @transaction.atomic
    def _insert(self, count: int, linf: Structure):
        table, enfants, linfs = (Demande._meta.db_table, "demandes_enfant", Demande.linfs.through._meta.db_table)
        if connection.vendor == "postgresql":
            series = f"generate_series(1, {count}) AS n"
            ref = "'DI-' || upper(lpad(to_hex(n + 268435456), 8, '0'))"
            old = "now() - interval '200 days'"
        else:
            series = f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count}) SELECT n FROM s)"
            ref = "'DI-' || printf('%08X', n + 268435456)"
            old = "datetime('now', '-200 days')"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({COLUMNS}) SELECT {ref}, %s, 'nouvelle', 'parent', false, '', 'emploi', 'creche', "
                f"'2027-01-04', '', false, false, 'Léa', 'Test', 'benchmark-purge@example.invalid', '', 'email', '', '', {old}, {old} "
                f"FROM {series}", [linf.commune_id],
            )
            cursor.execute(
                f"INSERT INTO {enfants} (demande_id, date_naissance) SELECT id, '2025-03-01' FROM {table} "
                "WHERE email = 'benchmark-purge@example.invalid'"
            )
            cursor.execute(
                f"INSERT INTO {linfs} (demande_id, structure_id) SELECT id, %s FROM {table} WHERE email = 'benchmark-purge@example.invalid'",
                [linf.pk],
            )
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")  # as autovacuum would have, long before such rows expire
