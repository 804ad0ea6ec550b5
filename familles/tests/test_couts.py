"""Beside each result, what that place would cost the family for its need: the simulator's own figure (its public
API, asked separately here), after the tax credit; and, where it cannot be computed, why."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from familles.couts import couts_des_fiches
from structures.besoin import Besoin
from structures.enums import Rubrique, TypeAccueil
from structures.models import Structure
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db]


def debut() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=45)


def besoin(**autres) -> Besoin:
    valeurs = {"debut": debut(), "jours": (1, 2, 3, 4, 5), "heure_debut": datetime.time(8),
               "heure_fin": datetime.time(18), "age_mois": 4, "ressources_mensuelles": Decimal(3000),
               "enfants_a_charge": 2}
    return Besoin(**{**valeurs, **autres})


def apres_credit_d_impot(mensuel: float) -> Decimal:
    """The tax credit, written independently: half of what is paid in a year, within 3,500 € per child."""
    annuel = Decimal(str(mensuel)) * 12
    credit = (min(annuel, Decimal(3500)) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ((annuel - credit) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def simulateur(client, chemin: str, **params) -> dict:
    # The barème in force today: the start's is not published yet (familles.couts.date_du_bareme).
    base = {"date": timezone.localdate().isoformat(), "ressources_mensuelles": "3000", "enfants_a_charge": "2",
            "heures_par_semaine": "50", "jours_par_semaine": "5"}
    response = client.get(reverse(f"simulateur:{chemin}"), {**base, **params})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def fiches():
    le_puy = CommuneFactory(code_insee="43157")
    return {
        "creche": StructureFactory(creche=True, nom="Crèche PSU", point=point_at_km(le_puy.point, 1)),
        "familiale": StructureFactory(rubrique=Rubrique.EAJE, type_accueil=TypeAccueil.FAMILIAL, financement_psu=True,
                                      nom="Crèche familiale", point=point_at_km(le_puy.point, 2)),
        "assmat": StructureFactory(nom="Assistante", tarif_horaire=Decimal("4.80"), indemnite_entretien=Decimal("4"),
                                   prix_repas=Decimal("3.50"), point=point_at_km(le_puy.point, 3)),
        "assmat_sans_tarif": StructureFactory(nom="Assistante sans tarif"),
        "micro": StructureFactory(rubrique=Rubrique.EAJE, type_accueil=TypeAccueil.MICRO_CRECHE, financement_psu=False,
                                  tarif_horaire=Decimal("9.50"), nom="Micro-crèche PAJE"),
        "relais": StructureFactory(rubrique=Rubrique.RPE, nom="Relais"),
    }


def test_each_cost_is_the_simulator_s_after_the_tax_credit(client, fiches):
    couts = couts_des_fiches(list(Structure.objects.all()), besoin())
    psu = simulateur(client, "api_creche", type_accueil="collectif")["participation_mensuelle"]
    assert couts[fiches["creche"].pk].mensuel == apres_credit_d_impot(psu)
    familiale = simulateur(client, "api_creche", type_accueil="familial")["participation_mensuelle"]
    assert couts[fiches["familiale"].pk].mensuel == apres_credit_d_impot(familiale)
    assmat = simulateur(client, "api_assmat", salaire_horaire="4.80", indemnite_entretien="4", prix_repas="3.50",
                        repas_par_jour="1")["reste_a_charge"]
    assert couts[fiches["assmat"].pk].mensuel == apres_credit_d_impot(assmat)
    assert couts[fiches["assmat"].pk].texte.startswith("≈ ") and couts[fiches["assmat"].pk].texte.endswith(
        " €/mois après aides")
    # The explanation is the simulator's, then the tax credit's.
    assert any("CMG =" in e for e in couts[fiches["assmat"].pk].explications)
    assert "n'a pas indiqué son tarif" in couts[fiches["assmat_sans_tarif"].pk].texte
    micro = couts[fiches["micro"].pk]
    assert micro.mensuel is None and micro.texte.endswith("€/mois avant le CMG « structure »")
    assert fiches["relais"].pk not in couts


def test_without_resources_the_result_says_what_the_cost_needs(fiches):
    sans = besoin(ressources_mensuelles=None, enfants_a_charge=None)
    couts = couts_des_fiches([fiches["creche"], fiches["assmat"]], sans)
    assert {c.texte for c in couts.values()} == {
        "Indiquez vos ressources et le nombre d'enfants à charge pour voir le coût estimé."}


def test_a_page_of_results_reads_the_bareme_once(fiches, django_assert_max_num_queries):
    fiches_lues = list(Structure.objects.all())
    with django_assert_max_num_queries(8):
        couts_des_fiches(fiches_lues, besoin())


def test_the_search_page_shows_each_cost_and_its_explanation_without_javascript(client, fiches):
    le_puy = fiches["creche"].commune
    response = client.post(reverse("structures:recherche"), {
        "commune": "Le Puy-en-Velay (43000)", "code_insee": le_puy.code_insee, "age_enfant": "4",
        "debut": debut().isoformat(), "jours": ["1", "2", "3", "4", "5"], "heure_debut": "08:00",
        "heure_fin": "18:00", "ressources": "3 000", "enfants": "2"})
    doc = lxml.html.fromstring(client.get(response["Location"]).content)
    cartes = {li.xpath(".//h2")[0].text_content().strip(): li for li in doc.xpath('//ol[contains(@class, "mf-results")]/li')}
    psu = simulateur(client, "api_creche", type_accueil="collectif")["participation_mensuelle"]
    attendu = apres_credit_d_impot(psu).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    carte = cartes["Crèche PSU"]
    assert f"≈ {attendu:,.0f} €/mois après aides".replace(",", "\u202f") in carte.text_content()
    # One click (a <details>, no script) shows the simulator's explanation.
    assert carte.xpath(".//details/summary")[0].text_content().startswith("Le détail du calcul")
    assert "taux d'effort" in carte.xpath(".//details/ul")[0].text_content()
    assert "Coût" not in cartes["Relais"].text_content()
