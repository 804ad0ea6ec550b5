"""Demo accounts: one per role in each demo département. Created only by the demo command."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from structures.enums import Rubrique
from structures.models import Caf, Structure

from .enums import Role
from .models import Affectation, User

DEMO_PASSWORD = "demo-monenfant-2026"  # noqa: S105 (public on purpose: listed in the README, demo only)
DEMO_DOMAIN = "demo.monenfant.invalid"


def demo_accounts() -> list[tuple[str, str, str]]:
    """(email, role label, scope) of every demo account, for the README and the command's output."""
    accounts = [(f"cnaf@{DEMO_DOMAIN}", Role.CNAF_ADMIN, None)]
    for dep in ("43", "64"):
        accounts += [
            (f"admin.caf{dep}@{DEMO_DOMAIN}", Role.CAF_ADMIN, dep),
            (f"agent.caf{dep}@{DEMO_DOMAIN}", Role.CAF_AGENT, dep),
            (f"gestionnaire{dep}@{DEMO_DOMAIN}", Role.GESTIONNAIRE, dep),
            (f"assmat{dep}@{DEMO_DOMAIN}", Role.ASSMAT, dep),
            (f"linf{dep}@{DEMO_DOMAIN}", Role.LINF, dep),
        ]
    return accounts


@transaction.atomic
def build_demo_accounts() -> list[tuple[str, str, str]]:
    created = []
    # One hash for the one public password: hashing it for each account took most of the command's time.
    password = make_password(DEMO_PASSWORD)
    for email, role, dep in demo_accounts():
        user, _ = User.objects.get_or_create(
            email=email, defaults={"first_name": "Démo", "last_name": Role(role).label},
        )
        user.password = password
        user.save()
        caf = structure = None
        if role in (Role.CAF_ADMIN, Role.CAF_AGENT):
            caf = Caf.objects.get(departement=dep)
        elif role == Role.GESTIONNAIRE:
            structure = Structure.objects.filter(
                commune__departement=dep, rubrique=Rubrique.EAJE, organisme__nom__startswith="Communauté"
            ).order_by("pk").first()
        elif role in (Role.ASSMAT, Role.LINF):
            rubrique = Rubrique.ASSMAT if role == Role.ASSMAT else Rubrique.LINF
            structure = Structure.objects.filter(commune__departement=dep, rubrique=rubrique).order_by("pk").first()
        Affectation.objects.get_or_create(user=user, role=role, caf=caf, structure=structure)
        user.sync_staff()
        created.append((email, Role(role).label, str(caf or structure or "France entière")))
    # A manager of an organisme is habilitated on all its structures of the département.
    for dep in ("43", "64"):
        user = User.objects.get(email=f"gestionnaire{dep}@{DEMO_DOMAIN}")
        for structure in Structure.objects.filter(
            commune__departement=dep, rubrique=Rubrique.EAJE, organisme__nom__startswith="Communauté"
        ):
            Affectation.objects.get_or_create(user=user, role=Role.GESTIONNAIRE, structure=structure)
    return created
