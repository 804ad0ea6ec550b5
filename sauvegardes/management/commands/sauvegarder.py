from django.core.management.base import BaseCommand

from sauvegardes.services import sauvegarder


class Command(BaseCommand):
    help = "Sauvegarde la base (pg_dump, ou copie du fichier SpatiaLite) et supprime les sauvegardes de plus de 30 jours."

    def handle(self, *args, **options):
        rapport = sauvegarder()
        self.stdout.write(f"{rapport.fichier} ({rapport.octets} octets) ; {rapport.supprimees} ancienne(s) supprimée(s).")
