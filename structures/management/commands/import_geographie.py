import time

from django.core.management.base import BaseCommand

from structures.imports import import_geographie


class Command(BaseCommand):
    help = "Importe (ou met à jour) les départements, leur CAF et toutes les communes avec leur position."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements", nargs="*", metavar="CODE", help="Limiter l'import à ces départements (ex. 43 64)."
        )

    def handle(self, *args, departements=None, **options):
        started = time.monotonic()

        def progress(done, total):
            self.stdout.write(f"\r  communes : {done:>6} / {total} ({done * 100 // total} %)", ending="")
            self.stdout.flush()

        report = import_geographie(departements_filter=departements, progress=progress)
        self.stdout.write("")
        self.stdout.write(f"Coordonnées lues dans {report.source_coordonnees}")
        if report.sans_point:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.sans_point)} commune(s) absente(s) du fichier de coordonnées, placée(s) au point de leur code postal : {', '.join(report.sans_point[:20])}"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.departements} départements, {report.communes} communes importés "
                f"en {time.monotonic() - started:.1f} s."
            )
        )
