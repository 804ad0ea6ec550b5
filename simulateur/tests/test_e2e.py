"""A parent estimates the cost of a crèche in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from monenfant.tests.horloge import JOUR_DES_TESTS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.time_machine(JOUR_DES_TESTS)]


def test_parent_estimates_a_creche_and_compares_with_an_assistant_maternel(page, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/simulateur/")
    # caf.fr's example of the CMG reform: 3 000 € a month, one child, 125 h a month at 4.85 € net.
    page.get_by_label("Date de l'accueil").fill("2025-10-01")
    page.get_by_label("Ressources mensuelles du foyer").fill("3000")
    page.get_by_label("Nombre d'enfants à charge").fill("1")
    page.locator("label[for=id_type_accueil_0]").click()
    page.get_by_label("Heures d'accueil par semaine").fill("30")
    page.get_by_label("Semaines d'accueil par an").fill("50")
    expect(page.get_by_label("Indemnité d'entretien (€ par jour)")).not_to_have_value("")
    page.get_by_label("Salaire horaire net d'un assistant maternel (pour comparer)").fill("4.85")
    page.get_by_label("Indemnité d'entretien (€ par jour)").fill("0")
    page.get_by_label("Prix d'un repas (€)").fill("0")
    page.get_by_role("button", name="Calculer").click()

    # Crèche: 3 000 × 0.0619 % = 1.86 € an hour × 125 h = 232.50 €; CMG 606.25 × (1 − 3 000 × 0.0619 % ÷ 4.85).
    expect(page.get_by_test_id("tarif-horaire")).to_have_text("1,86 €")
    expect(page.get_by_test_id("participation")).to_have_text("232,50 €")
    expect(page.get_by_test_id("cmg")).to_have_text("374,13 €")
    expect(page.get_by_test_id("reste-assmat")).to_have_text("232,12 € par mois")
    expect(page.get_by_text("Valeurs non trouvées dans un texte officiel, à confirmer :")).to_be_visible()
    page.get_by_text("Le détail du calcul").nth(1).click()
    expect(page.get_by_text("CMG = 606,25 € × (1 − 3 000,00 € × 0,0619 % ÷ 4,85 €) = 374,13 € par mois.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "simulateur-telephone.png", full_page=True)
