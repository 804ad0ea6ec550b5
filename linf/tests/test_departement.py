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
    CommuneFactory(code_insee="64445")
    assert "0 fiche sur monenfant" in client.get("/departements/64/").content.decode()


def test_the_list_of_departements_counts_fiches_per_rubrique_and_is_linked_from_home(client):
    le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
    StructureFactory(commune=le_puy, creche=True)
    StructureFactory(commune=le_puy, rubrique=Rubrique.RPE)
    StructureFactory(commune=pau, rubrique=Rubrique.ASSMAT)
    StructureFactory(commune=pau, rubrique=Rubrique.ASSMAT, consentement_publication_le=None)  # not public
    assert 'href="/departements/"' in client.get("/").content.decode()
    html = client.get("/departements/").content.decode()
    rows = {code: [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]
            for code, row in re.findall(r'href="/departements/(\w+)/">.*?</a></th>(.*?)</tr>', html, re.S)}
    rubriques = list(Rubrique.values)
    assert rows["43"][0] == 2 and rows["43"][1 + rubriques.index("EAJE")] == 1 and rows["43"][1 + rubriques.index("RPE")] == 1
    assert rows["64"][0] == 1 and rows["64"][1 + rubriques.index("ASSMAT")] == 1


def test_the_rubriques_of_a_departement_search_around_its_chef_lieu(client):
    le_puy, yssingeaux = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="43268")
    html = client.get("/departements/43/").content.decode()
    assert "?code_insee=43157&amp;rubrique=EAJE&amp;rayon_km=50" in html, "without a chef-lieu: the largest commune"
    le_puy.departement.chef_lieu = yssingeaux  # not true, but the page must follow the reference data
    le_puy.departement.save()
    html = client.get("/departements/43/").content.decode()
    assert "?code_insee=43268&amp;rubrique=EAJE&amp;rayon_km=50" in html and "autour d&#x27;Yssingeaux" in html
    assert client.get("/recherche/?code_insee=43268&rubrique=EAJE&rayon_km=50").status_code == 200


def test_the_list_of_departements_costs_the_same_queries_with_more_fiches(client, django_assert_max_num_queries):
    le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
    for commune in (le_puy, pau, le_puy):
        StructureFactory(commune=commune, creche=True)
    with django_assert_max_num_queries(4):  # session-free public page: the counts and the départements
        assert client.get("/departements/").status_code == 200
