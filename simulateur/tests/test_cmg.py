"""The CMG of an assistant maternel as reformed on 1 September 2025 (art. D. 531-18 CSS), checked
against caf.fr's worked example and at each boundary, with the arithmetic written beside each case:
CMG = cost counted × (1 − resources × taux d'effort ÷ reference hourly cost)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from monenfant.tests.horloge import JOUR_DES_TESTS
from simulateur.calculs import Besoin, FraisAssmat, SimulationError, simuler_assmat
from simulateur.enums import Parametre
from simulateur.models import Bareme

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

OCTOBRE_2025 = datetime.date(2025, 10, 1)  # reference cost 4.85 € (caf.fr), hourly cap 8 € (decree)
API = "/api/simulateur/assistant-maternel/"


def cmg(ressources="3000", enfants=1, salaire="4.85", entretien="0", repas="0", repas_par_jour=1, aeeh=0,
        date=OCTOBRE_2025):
    # 30 h a week over 50 weeks = 125 h a month, on 5 days a week = 20.83 days a month.
    besoin = Besoin(date=date, ressources_mensuelles=Decimal(ressources), enfants_a_charge=enfants, enfants_aeeh=aeeh,
                    heures_par_semaine=Decimal(30), semaines_par_an=Decimal(50))
    return simuler_assmat(besoin, FraisAssmat(Decimal(salaire), Decimal(entretien), Decimal(repas), repas_par_jour))


def test_the_caf_fr_example_to_the_cent():
    result = cmg()
    # 4.85 € × 125 h = 606.25 € ; 606.25 × (1 − 3 000 × 0.0619 % ÷ 4.85) = 606.25 − 232.125 = 374.125 → 374.13 €
    assert result.cout_mensuel == Decimal("606.25")
    assert result.cmg == Decimal("374.13")
    assert result.reste_a_charge == Decimal("232.12")


@pytest.mark.parametrize(("enfants", "aide", "reste"), [
    (1, "374.13", "232.12"),  # 606.25 × 3 000 × 0.0619 % ÷ 4.85 = 232.125
    (2, "412.75", "193.50"),  # 606.25 × 3 000 × 0.0516 % ÷ 4.85 = 193.4999…
    (3, "451.38", "154.87"),  # 606.25 × 3 000 × 0.0413 % ÷ 4.85 = 154.875
    (4, "490.00", "116.25"),  # 606.25 × 3 000 × 0.0310 % ÷ 4.85 = 116.25
])
def test_one_to_four_children(enfants, aide, reste):
    result = cmg(enfants=enfants)
    assert (result.cmg, result.reste_a_charge) == (Decimal(aide), Decimal(reste))


def test_a_child_with_the_aeeh_counts_as_one_more():
    assert cmg(enfants=1, aeeh=1).cmg == cmg(enfants=2).cmg == Decimal("412.75")


def test_resources_under_the_floor_count_as_the_floor():
    result = cmg(ressources="500")
    # 606.25 × (1 − 801 × 0.0619 % ÷ 4.85) = 606.25 − 61.977… = 544.27 €
    assert result.ressources.retenues == Decimal("801.00")
    assert (result.cmg, result.reste_a_charge) == (Decimal("544.27"), Decimal("61.98"))


def test_resources_over_the_ceiling_count_as_the_ceiling():
    # One child: 8 500 × 0.0619 % = 5.26 € an hour, more than 4.85 €: no CMG (never negative).
    one = cmg(ressources="12000")
    assert one.ressources.retenues == Decimal("8500.00") and one.cmg == 0 and one.reste_a_charge == Decimal("606.25")
    # Four children: 606.25 × (1 − 8 500 × 0.0310 % ÷ 4.85) = 606.25 − 329.375 = 276.875 → 276.88 €
    four = cmg(ressources="12000", enfants=4)
    assert (four.cmg, four.reste_a_charge) == (Decimal("276.88"), Decimal("329.37"))


def test_above_the_hourly_ceiling_only_8_euros_an_hour_count():
    result = cmg(salaire="9.00")
    # 9 € × 125 h = 1 125 € ; counted 8 € × 125 h = 1 000 € ; 1 000 × (1 − 3 000 × 0.0619 % ÷ 4.85) = 617.11 €
    assert result.cout_mensuel == Decimal("1125.00") and result.cout_pris_en_compte == Decimal("1000.00")
    assert (result.cmg, result.reste_a_charge) == (Decimal("617.11"), Decimal("507.89"))
    assert any("le dépassement reste à votre charge" in line for line in result.explications)


def test_allowance_and_meals_are_part_of_the_cost_and_of_the_cmg():
    result = cmg(entretien="3.80", repas="3.50")
    # 3.80 € × 20.83 days = 79.17 € ; 3.50 € × 1 meal × 20.83 days = 72.92 € ; 606.25 + 79.17 + 72.92 = 758.34 €
    # 758.34 × (1 − 3 000 × 0.0619 % ÷ 4.85) = 758.34 − 290.359… = 467.98 €
    assert (result.entretien_mensuel, result.repas_mensuels) == (Decimal("79.17"), Decimal("72.92"))
    assert result.cout_mensuel == Decimal("758.34")
    assert (result.cmg, result.reste_a_charge) == (Decimal("467.98"), Decimal("290.36"))
    lines = "\n".join(result.explications)
    assert "Indemnité d'entretien : 3,80 € par jour × 20,83 jours = 79,17 € par mois." in lines
    assert "Repas : 3,50 € × 1 par jour × 20,83 jours = 72,92 € par mois." in lines


def test_allowances_count_towards_the_hourly_ceiling():
    result = cmg(salaire="7.50", entretien="10.00", repas="5.00")
    # 937.50 + 208.33 + 104.17 = 1 250 € for 125 h = 10 € an hour: counted 8 € × 125 h = 1 000 €
    assert result.cout_mensuel == Decimal("1250.00") and result.cout_pris_en_compte == Decimal("1000.00")


def test_no_meal_when_the_parents_bring_it():
    assert cmg(repas="3.50", repas_par_jour=0).repas_mensuels == 0


def test_left_empty_the_allowance_and_meal_are_the_usual_ones_of_the_period():
    besoin = Besoin(date=OCTOBRE_2025, ressources_mensuelles=Decimal(3000), enfants_a_charge=1,
                    heures_par_semaine=Decimal(30), semaines_par_an=Decimal(50))
    result = simuler_assmat(besoin, FraisAssmat(Decimal("4.85")))
    bareme = Bareme.objects.en_vigueur(OCTOBRE_2025, "cmg_assmat").get()
    assert (result.indemnite_entretien, result.prix_repas) == (bareme.indemnite_entretien_usuelle, bareme.repas_usuel)


@pytest.mark.parametrize(("frais", "champ"), [
    ({"salaire_horaire": Decimal(0)}, "salaire_horaire"),
    ({"salaire_horaire": Decimal("4.85"), "indemnite_entretien": Decimal(-1)}, "indemnite_entretien"),
    ({"salaire_horaire": Decimal("4.85"), "prix_repas": Decimal(31)}, "prix_repas"),
    ({"salaire_horaire": Decimal("4.85"), "repas_par_jour": 5}, "repas_par_jour"),
])
def test_impossible_costs_are_refused_in_french(frais, champ):
    with pytest.raises(SimulationError) as error:
        FraisAssmat(**frais)
    assert error.value.champ == champ


def test_every_cmg_value_has_a_source_and_the_unofficial_ones_say_why():
    for bareme in Bareme.objects.filter(dispositif="cmg_assmat"):
        sources = {s.parametre: s for s in bareme.sources.all()}
        assert set(Parametre.values) <= set(sources), bareme
        for source in sources.values():
            assert source.texte and (source.officiel or source.remarque), (bareme, source.parametre)


def test_the_2025_reference_cost_is_official_and_2026_says_it_follows_the_smic():
    octobre = cmg()
    assert octobre.bareme.cout_horaire_reference == Decimal("4.85")
    assert {v.parametre for v in octobre.valeurs_a_confirmer} == {Parametre.PLANCHER, Parametre.PLAFOND}
    decembre_2026 = cmg(date=datetime.date(2026, 12, 1))
    # 4.85 € × 12.02 ÷ 11.88 (SMIC on 1 January 2026 and 2025) = 4.907 → 4.91 €
    assert decembre_2026.bareme.cout_horaire_reference == Decimal("4.91")
    flagged = {v.parametre: v for v in decembre_2026.valeurs_a_confirmer}
    assert Parametre.COUT_HORAIRE_REFERENCE in flagged and "SMIC" in flagged[Parametre.COUT_HORAIRE_REFERENCE].raison


def test_the_page_gives_the_caf_fr_example_and_names_what_is_unconfirmed(client):
    html = client.post("/simulateur/", {
        "date": "2025-10-01", "ressources_mensuelles": "3000", "enfants_a_charge": "1", "enfants_aeeh": "0",
        "type_accueil": "collectif", "heures_par_semaine": "30", "semaines_par_an": "50", "mois_factures": "12",
        "jours_par_semaine": "5", "salaire_horaire_assmat": "4.85", "indemnite_entretien_assmat": "0",
        "prix_repas_assmat": "0", "repas_par_jour_assmat": "1",
    }).content.decode()
    assert re.search(r'data-testid="cmg">374,13 €', html)
    assert re.search(r'data-testid="reste-assmat">232,12 € par mois', html)
    assert "Valeurs non trouvées dans un texte officiel" in html and "Plancher de ressources" in html
    assert "à confirmer : estimation indicative" not in html


def test_the_form_states_the_usual_allowance_and_meal(client):
    html = client.get("/simulateur/").content.decode()
    bareme = Bareme.objects.en_vigueur(timezone.localdate(), "cmg_assmat").get()
    assert f'value="{bareme.indemnite_entretien_usuelle}"' in html and "Valeur usuelle" in html


def test_the_api_gives_the_caf_fr_example(client):
    data = client.get(API, {"date": "2025-10-01", "ressources_mensuelles": "3000", "enfants_a_charge": "1",
                            "heures_par_semaine": "30", "semaines_par_an": "50", "salaire_horaire": "4.85",
                            "indemnite_entretien": "0", "prix_repas": "0"}).json()
    assert data["cmg"] == 374.13 and data["reste_a_charge"] == 232.12
    assert data["cout_mensuel"] == {"salaire": 606.25, "indemnite_entretien": 0, "repas": 0, "total": 606.25}
    assert data["bareme"]["cout_horaire_reference"] == 4.85 and data["bareme"]["plafond_horaire"] == 8
    assert set(data["bareme"]["valeurs_non_publiees"]) == {"plancher", "plafond"}
    assert {s["parametre"] for s in data["bareme"]["sources"]} >= {"cout_horaire_reference", "taux_effort"}


def test_the_api_uses_the_usual_costs_when_left_out(client):
    data = client.get(API, {"date": "2025-10-01", "ressources_mensuelles": "3000", "enfants_a_charge": "1",
                            "heures_par_semaine": "30", "semaines_par_an": "50", "salaire_horaire": "4.85"}).json()
    # 3.80 € × 20.83 days = 79.17 € and 3.50 € × 20.83 days = 72.92 € in October 2025
    assert data["cout_mensuel"] == {"salaire": 606.25, "indemnite_entretien": 79.17, "repas": 72.92, "total": 758.34}


@pytest.mark.parametrize(("change", "message"), [
    ({"salaire_horaire": ""}, "Paramètre manquant : salaire_horaire."),
    ({"salaire_horaire": "abc"}, "Valeur invalide pour salaire_horaire (euros)"),
    ({"salaire_horaire": "0"}, "Le salaire horaire net doit être supérieur à 0 €"),
    ({"indemnite_entretien": "NaN"}, "Valeur invalide pour indemnite_entretien (euros)"),
    ({"repas_par_jour": "9"}, "Le nombre de repas par jour est compris entre 0 et 4."),
    ({"jours_par_semaine": "8"}, "jours d'accueil par semaine doit être compris entre 1 et 7"),
    ({"date": "2025-08-31"}, "depuis le 1er septembre 2025"),
])
def test_the_api_refuses_bad_parameters_in_french(client, change, message):
    params = {"date": "2025-10-01", "ressources_mensuelles": "3000", "enfants_a_charge": "1",
              "heures_par_semaine": "30", "salaire_horaire": "4.85", **change}
    response = client.get(API, params)
    assert response.status_code == 400 and message in response.json()["erreur"]
    assert set(response.json()) == {"erreur", "parametre"}
