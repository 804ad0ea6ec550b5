from django.core.management.base import BaseCommand, CommandError

from habilitations.demo import DEMO_PASSWORD, build_demo_accounts
from structures.models import Structure


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (un par rôle en Haute-Loire et Pyrénées-Atlantiques)."

    def handle(self, *args, **options):
        if not Structure.objects.filter(commune__departement__in=["43", "64"]).exists():
            raise CommandError("Chargez d'abord l'annuaire de démonstration : python manage.py load_demo")
        accounts = build_demo_accounts()
        for email, role, scope in accounts:
            self.stdout.write(f"  {email:<45} {role:<45} {scope}")
        self.stdout.write(self.style.SUCCESS(f"{len(accounts)} comptes de démonstration, mot de passe : {DEMO_PASSWORD}"))
