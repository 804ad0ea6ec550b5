"""Where a parent is, the next step is: "Écrire au lieu d'information" where a LINF answers online."""

import datetime

import pytest

from linf.models import ContratCafCnaf, Guichet
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
BOUTON = "Écrire au lieu d'information</button>"


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def _linf(commune, *, ouvert=True, nom="PIF du Velay"):
    linf = StructureFactory(nom=nom, rubrique=Rubrique.LINF, commune=commune)
    linf.communes_desservies.add(commune)
    Guichet.objects.create(structure=linf, ouvert=ouvert)
    ContratCafCnaf.objects.get_or_create(departement_id="43", defaults={"signe_le": datetime.date(2026, 1, 5), "actif": True})
    return linf


def test_a_fiche_of_a_served_commune_leads_to_the_demande_with_the_commune_chosen(client, le_puy):
    creche = StructureFactory(commune=le_puy, creche=True)
    _linf(le_puy)
    html = client.get(f"/structures/{creche.pk}/").content.decode()
    assert BOUTON in html and "PIF du Velay</a> répond en ligne aux familles du Puy-en-Velay" in html
    assert 'action="/demande-information/etape/commune/"' in html and 'name="code_insee" value="43157"' in html
    response = client.post("/demande-information/etape/commune/", {"commune": "Le Puy-en-Velay (43000)", "code_insee": "43157"})
    assert response.status_code == 302 and response["Location"] == "/demande-information/etape/vous/"


def test_the_linf_fiche_says_it_answers_online(client, le_puy):
    linf = _linf(le_puy)
    html = client.get(f"/structures/{linf.pk}/").content.decode()
    assert "Ce lieu d'information répond en ligne aux familles du Puy-en-Velay." in html and BOUTON in html


def test_no_button_where_no_linf_answers_online(client, le_puy):
    creche = StructureFactory(commune=le_puy, creche=True)
    linf = _linf(le_puy, ouvert=False)
    assert BOUTON not in client.get(f"/structures/{creche.pk}/").content.decode()
    assert BOUTON not in client.get(f"/structures/{linf.pk}/").content.decode()
    assert BOUTON not in client.get("/recherche/?code_insee=43157").content.decode()


def test_search_results_offer_to_write_on_the_linf_that_answers(client, le_puy):
    StructureFactory(commune=le_puy, creche=True)
    _linf(le_puy)
    _linf(le_puy, ouvert=False, nom="PIF fermé")
    html = client.get("/recherche/?code_insee=43157").content.decode()
    assert html.count(BOUTON) == 2, "one above the results, one on the LINF that answers; none on the closed one"
    assert "PIF fermé" in html


def test_the_header_leads_to_the_demande(client):
    assert "href=\"/demande-information/\">Écrire au lieu d'information</a>" in client.get("/").content.decode()


def test_where_no_linf_answers_the_family_gets_the_nearest_help_and_its_caf(client, le_puy):
    relais = StructureFactory(nom="Relais du Velay", rubrique=Rubrique.RPE, commune=le_puy)
    _linf(le_puy, ouvert=False)
    html = client.post("/demande-information/etape/commune/",
                       {"commune": "Le Puy-en-Velay (43000)", "code_insee": "43157"}).content.decode()
    assert relais.nom in html and "Contactez votre CAF" not in html
    assert 'href="https://www.caf.fr/allocataires/caf-de-la-haute-loire"' in html and "La Caf de la Haute-Loire" in html
    html = client.get("/departements/43/").content.decode()
    assert 'href="https://www.caf.fr/allocataires/caf-de-la-haute-loire"' in html
    assert "?code_insee=43157&amp;rayon_km=50&amp;rubrique=RPE" in html


def test_an_edited_caf_page_is_the_one_shown(client, le_puy):
    caf = le_puy.departement.caf
    caf.page_caf_fr = "https://www.caf.fr/allocataires/caf-de-la-haute-loire/nous-contacter"
    caf.save()
    assert 'href="https://www.caf.fr/allocataires/caf-de-la-haute-loire/nous-contacter"' in client.get(
        "/departements/43/").content.decode()
