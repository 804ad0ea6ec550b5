"""Demo: the information place of each demo département receives demandes online, through the real workflow."""

import datetime

from django.db import transaction

from habilitations import services as habilitations
from habilitations.demo import DEMO_DOMAIN
from habilitations.enums import StatutHabilitation
from habilitations.models import User
from structures.enums import Rubrique
from structures.models import Caf, Structure

from .models import ContratCafCnaf
from .services import habilitation_validee, open_guichet

DEMO_DEPARTEMENTS = ("43", "64")


@transaction.atomic
def build_demo_guichets() -> list[Structure]:
    """Active contract, validated habilitation of the demo LINF person, guichet open: idempotent."""
    opened = []
    for dep in DEMO_DEPARTEMENTS:
        ContratCafCnaf.objects.update_or_create(
            departement_id=dep, defaults={"signe_le": datetime.date(2026, 1, 5), "actif": True},
        )
        linf = Structure.objects.filter(commune__departement=dep, rubrique=Rubrique.LINF).order_by("pk").first()
        person = User.objects.filter(email=f"linf{dep}@{DEMO_DOMAIN}").first()
        if linf is None or person is None:
            continue
        if habilitation_validee(linf) is None:
            agent = User.objects.get(email=f"agent.caf{dep}@{DEMO_DOMAIN}")
            demande = habilitations.create_demande_habilitation(
                caf=Caf.objects.get(departement=dep), organisme_nom=linf.organisme.nom if linf.organisme else linf.nom,
                organisme_siret="", organisme_adresse=f"{linf.adresse}, {linf.code_postal} {linf.commune.nom}",
                demandeur_nom="Direction du relais", demandeur_email=f"direction.linf{dep}@{DEMO_DOMAIN}",
                demandeur_telephone=linf.telephone, structures=[linf], communes=list(linf.communes_desservies.all()),
                delai_recuperation_jours=10,
                personnes=[{"prenom": person.first_name, "nom": person.last_name, "email": person.email,
                            "fonction": "Animatrice du relais"}],
            )
            habilitations.send_convention(demande=demande, par=agent)
            habilitations.validate(demande=demande, par=agent)
            assert demande.__class__.objects.get(pk=demande.pk).statut == StatutHabilitation.VALIDEE
        open_guichet(structure=linf)
        opened.append(linf)
    return opened
