"""Crafted input gets a 400, a 404 or the form's French error, never a 500 (issue 15, low)."""

import pytest
from django.urls import reverse

from demandes.tests.conftest import open_linf
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import FORM, challenge
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]  # SQLite and PostgreSQL fail differently

HUGE = "9" * 25  # beyond 64 bits


@pytest.mark.parametrize("value", ["1e27", "-1e27", "99999999999999999999", "1E+400", "NaN", "Infinity"])
def test_the_simulator_api_refuses_numbers_it_cannot_compute(client, value):
    response = client.get("/api/simulateur/creche/", {
        "ressources_mensuelles": value, "enfants_a_charge": "1", "type_accueil": "collectif", "heures_par_semaine": "40",
    })
    assert response.status_code == 400
    assert "ressources" in response.json()["erreur"].lower()


def test_a_linf_person_filtering_by_a_huge_place_id_sees_an_empty_filter(client):
    _, person = open_linf("PIF du Velay", CommuneFactory(code_insee="43157"), person_email="julie@pif43.example.fr")
    client.force_login(person)
    for lieu in (HUGE, "-1", "١٢", "abc"):
        assert client.get("/pro/demandes/", {"lieu": lieu}).status_code == 200, lieu


def test_the_habilitation_form_says_a_huge_id_is_not_a_choice(client):
    linf = StructureFactory(rubrique="LINF", commune=CommuneFactory(code_insee="43157"))
    url = f"{reverse('pro:demande_habilitation')}?departement=43"
    response = client.post(url, {**FORM, "structures": [linf.pk, HUGE], **challenge(client, url)})
    assert response.status_code == 400  # the form's answer to any error, what was typed kept
    html = response.content.decode()
    assert "Sélectionnez un choix valide" in html
    assert "CAPTCHA invalide" not in html, "only the id is wrong"


@pytest.mark.parametrize("suffix", ["history/", "change/", "delete/"])
@pytest.mark.parametrize("object_id", ["abc", HUGE, "-1"])
def test_back_office_urls_with_an_impossible_id_answer_404(client, object_id, suffix):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    response = client.get(f"/administration/structures/structure/{object_id}/{suffix}")
    assert response.status_code == 404


@pytest.mark.parametrize("url", [
    "/pro/habilitation/suivi/%00/", "/departements/%00/", "/guide/rubrique/%00/", "/demande-information/etape/%00/",
    "/demande-information/confirmation/%00/", "/demande-information/confirmation/%00/pdf/",
])
def test_a_token_or_code_holding_a_nul_is_a_404_before_any_query(client, url):
    assert client.get(url).status_code == 404  # PostgreSQL refuses a NUL in a query: it was a 500 there


def test_a_linf_person_opening_a_reference_holding_a_nul_gets_a_404(client):
    _, person = open_linf("PIF du Velay", CommuneFactory(code_insee="43157"), person_email="julie@pif43.example.fr")
    client.force_login(person)
    assert client.get("/pro/demandes/DI-%00/").status_code == 404
