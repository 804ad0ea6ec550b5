from django.core.management.base import BaseCommand

from habilitations.enums import StatutHabilitation as S
from habilitations.purge import purge_expired


class Command(BaseCommand):
    help = ("Efface les demandes d'habilitation refusées depuis six mois, et celles restées sans convention "
            "90 jours puis six mois (jamais une convention validée, en cours ou terminée).")

    def handle(self, *args, **options):
        report = purge_expired()
        self.stdout.write(self.style.SUCCESS(
            f"{report.total} demande(s) d'habilitation effacée(s) ({report.demandes[S.REFUSEE]} refusée(s), "
            f"{report.demandes[S.NON_TRAITEE] + report.demandes[S.CONVENTION_ENVOYEE]} sans convention), "
            f"{report.personnes} personne(s), {report.documents} document(s), {report.transitions} étape(s), "
            f"{report.notifications} courriel(s)."
        ))
