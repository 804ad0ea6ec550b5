from django.core.management.base import BaseCommand

from demandes.recapitulatif import rollup_recent, rollup_tout


class Command(BaseCommand):
    help = ("Calcule le récapitulatif national de « Besoins et offre » (à lancer chaque nuit, par cron sans "
            "Celery beat) : les mois dont les demandes peuvent encore être traitées, et l'offre par département.")

    def add_arguments(self, parser):
        parser.add_argument("--tout", action="store_true", help="Recalcule tous les mois présents dans les comptes.")

    def handle(self, *args, tout=False, **options):
        report = rollup_tout() if tout else rollup_recent()
        self.stdout.write(self.style.SUCCESS(
            f"{report.mois} mois, {report.lignes} ligne(s) par département et par mois, "
            f"offre de {report.departements_offre} départements, {report.secondes:.1f} s."))
