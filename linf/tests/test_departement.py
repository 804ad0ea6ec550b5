"""The page of a département: what the site lists, who answers online, the CAF's initiatives."""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from linf.models import ContratCafCnaf, Guichet
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.models import InitiativeLocale
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]


def test_the_departement_page_counts_and_names_who_answers(client):
    le_puy = CommuneFactory(code_insee="43157")
    StructureFactory(commune=le_puy, creche=True)
    StructureFactory(commune=le_puy, rubrique=Rubrique.ASSMAT)
    StructureFactory(commune=le_puy, rubrique=Rubrique.ASSMAT, consentement_publication_le=None)  # not public
    linf = StructureFactory(nom="PIF du Velay", rubrique=Rubrique.LINF, commune=le_puy)
    Guichet.objects.create(structure=linf, ouvert=True)
    ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True)
    StructureFactory(nom="PIF fermé", rubrique=Rubrique.LINF, commune=le_puy)
    InitiativeLocale.objects.create(departement_id="43", titre="Semaine de la petite enfance", texte="Ateliers.",
                                    debut=timezone.localdate() - datetime.timedelta(days=1))
    html = client.get("/departements/43/").content.decode()
    assert "Haute-Loire" in html and "PIF du Velay" in html and "Semaine de la petite enfance" in html
    assert "PIF fermé</a> (" not in html, "a LINF whose guichet is closed does not answer online"
    counts = {unescape(k): v for k, v in re.findall(r">([^<>]+)</a></td><td>(\d+)</td>", html)}
    assert counts["Assistant maternel"] == "1", "the one without consent is not counted"
    assert counts["Crèche et autre accueil collectif (EAJE)"] == "1" and counts["Lieu d'information"] == "2"
    assert "4 fiches sur monenfant" in html
    assert client.get("/departements/99/").status_code == 404
