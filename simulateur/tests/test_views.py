"""The simulator page and its public API, as a family and a partner use them."""

import re

import pytest

from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

API = "/api/simulateur/creche/"
PARAMS = {
    "date": "2026-03-01", "ressources_mensuelles": "2950", "enfants_a_charge": "2", "enfants_aeeh": "0",
    "type_accueil": "collectif", "heures_par_semaine": "40", "semaines_par_an": "47", "mois_factures": "12",
}
FORM = {**PARAMS, "ressources_mensuelles": "", "ressources_annuelles": "35400", "salaire_horaire_assmat": "4.50"}


def test_api_answers_the_design_contract(client):
    data = client.get(API, PARAMS).json()
    assert data["ressources_retenues"] == 2950
    assert data["taux_effort"] == 0.0516
    assert data["tarif_horaire"] == 1.52
    assert data["heures_mensuelles"] == 156.67
    assert data["participation_mensuelle"] == 238.13
    assert data["bareme"]["debut"] == "2026-01-01"
    assert "Cnaf" in data["bareme"]["source"]
    assert "0,0516 % × 2\u202f950,00 € = 1,52 € de l'heure." in data["explications"]


def test_api_marks_values_not_found_published(client):
    data = client.get(API, {**PARAMS, "date": "2021-06-01", "ressources_mensuelles": "0"}).json()
    assert data["ressources_retenues"] == 711.62
    assert set(data["bareme"]["valeurs_non_publiees"]) == {"plancher", "plafond"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ressources_mensuelles": "-100"}, "Les ressources ne peuvent pas être négatives."),
        ({"enfants_a_charge": "0"}, "Le nombre d'enfants à charge doit être compris entre 1 et 20."),
        ({"heures_par_semaine": "80"}, "Le nombre d'heures par semaine doit être supérieur à 0 et d'au plus 60."),
        ({"type_accueil": "nounou"}, "Type d'accueil inconnu"),
        ({"date": "2018-12-31"}, "depuis le 1er janvier 2019"),
        ({"date": "31/12/2026"}, "Valeur invalide pour date (AAAA-MM-JJ)"),
        ({"ressources_mensuelles": "Infinity"}, "Valeur invalide pour ressources_mensuelles"),
        ({"enfants_a_charge": "2.5"}, "Valeur invalide pour enfants_a_charge"),
        ({"heures_par_semaine": ""}, "Paramètre manquant : heures_par_semaine."),
        ({"date": "2030-01-01"}, "Aucun barème n'est encore publié pour le 01/01/2030."),
    ],
)
def test_api_bad_parameters_answer_400_in_french(client, change, message):
    response = client.get(API, {**PARAMS, **change})
    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_page_turns_annual_resources_into_monthly_and_compares_with_an_assistant_maternel(client):
    html = client.post("/simulateur/", FORM).content.decode()
    assert re.search(r'data-testid="tarif-horaire">1,52 €', html)
    assert re.search(r'data-testid="participation">238,13 €', html)
    # 4,50 € × 156,67 h = 705,00 € ; the usual allowance 3,83 € × 19,58 days = 75,00 € and a meal 3,50 € × 19,58
    # = 68,54 € (empty fields: the barème's usual values) ; 848,54 € × (1 − 2 950 × 0,0516 % ÷ 4,85) = 582,22 €.
    assert re.search(r'data-testid="cout-assmat">848,54 €', html)
    assert re.search(r'data-testid="cmg">582,22 €', html)
    assert re.search(r'data-testid="reste-assmat">266,32 € par mois', html)
    assert "après crédit d'impôt" in html.lower()
    assert "Barème Prestation de service unique (crèches) du 01/01/2026 au 31/12/2026" in html


def test_page_keeps_what_was_typed_and_shows_errors_on_the_fields(client):
    response = client.post("/simulateur/", {**FORM, "heures_par_semaine": "80", "ressources_annuelles": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur est inférieure ou égale à 60." in html
    assert "Indiquez vos ressources, par mois ou par an" in html
    assert 'value="80"' in html and 'value="4.50"' in html


def test_before_the_cmg_reform_the_comparison_explains_why_not(client):
    html = client.post("/simulateur/", {**FORM, "date": "2024-03-01"}).content.decode()
    assert "depuis le 1er septembre 2025" in html
    assert 'data-testid="participation"' in html
