"""In /pro/, the people of a fiche see how often families viewed it: this month and last month."""

import datetime

import lxml.html
import pytest
import time_machine

from compteurs import usage
from habilitations.enums import Role
from habilitations.models import Affectation
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import EvenementUsage
from structures.models import CompteurUsage
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
TODAY = datetime.datetime(2026, 3, 15, 10, 0, tzinfo=datetime.UTC)


def _views(structure, jour, nombre):
    CompteurUsage.objects.create(evenement=EvenementUsage.FICHE_VUE, structure=structure, departement_id="43",
                                 jour=jour, nombre=nombre)


def _usage_lines(html: str) -> list[str]:
    return [" ".join(p.text_content().split()) for p in lxml.html.fromstring(html).xpath("//*[@class='usage-fiche']")]


@time_machine.travel(TODAY, tick=False)
def test_a_manager_sees_the_views_of_each_of_their_fiches(client):
    CommuneFactory(code_insee="43157")
    lutins = StructureFactory(nom="Crèche Les Lutins", creche=True)
    pas = StructureFactory(nom="Crèche Les Petits Pas", creche=True)
    other = StructureFactory(nom="Crèche d'à côté", creche=True)
    _views(lutins, datetime.date(2026, 3, 1), 2)
    _views(lutins, datetime.date(2026, 3, 10), 1)
    _views(lutins, datetime.date(2026, 2, 28), 2)
    _views(lutins, datetime.date(2026, 1, 31), 7)  # two months ago: not shown
    _views(other, datetime.date(2026, 3, 1), 50)
    directrice = make_person(Role.GESTIONNAIRE, structure=lutins, email="directrice@lutins.example.fr")
    Affectation.objects.create(user=directrice, role=Role.GESTIONNAIRE, structure=pas)

    client.get(f"/structures/{lutins.pk}/")  # a family today
    usage.flush()
    client.force_login(directrice)
    html = client.get("/pro/").content.decode()
    assert _usage_lines(html) == [
        "Consultations de la fiche publique : 4 ce mois-ci, 2 le mois dernier.",
        "Consultations de la fiche publique : 0 ce mois-ci, 0 le mois dernier.",
    ]
    assert "Crèche d'à côté" not in html
    assert client.get(f"/pro/structures/{other.pk}/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_an_assistant_maternel_sees_the_views_of_their_own_fiche(client):
    CommuneFactory(code_insee="43157")
    fiche = StructureFactory(nom="Marie Roux")
    _views(fiche, datetime.date(2026, 3, 2), 5)
    client.force_login(make_person(Role.ASSMAT, structure=fiche, email="marie@example.fr"))
    assert _usage_lines(client.get("/pro/").content.decode()) == [
        "Consultations de la fiche publique : 5 ce mois-ci, 0 le mois dernier."
    ]
