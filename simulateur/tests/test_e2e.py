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
    page.get_by_label("Date de l'accueil").fill("2026-03-01")
    page.get_by_label("Ressources annuelles du foyer (facultatif)").fill("35400")
    expect(page.get_by_label("Ressources mensuelles du foyer")).to_have_value("2950.00")
    page.get_by_label("Nombre d'enfants à charge").fill("2")
    page.locator("label[for=id_type_accueil_0]").click()
    page.get_by_label("Heures d'accueil par semaine").fill("40")
    page.get_by_role("button", name="Calculer").click()

    expect(page.get_by_test_id("tarif-horaire")).to_have_text("1,52 €")
    expect(page.get_by_test_id("participation")).to_have_text("238,13 €")
    expect(page.get_by_test_id("reste-assmat")).to_have_text("95,39 € par mois")
    page.get_by_text("Le détail du calcul").first.click()
    expect(page.get_by_text("0,0516 % × 2\u202f950,00 € = 1,52 € de l'heure.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "simulateur-telephone.png", full_page=True)
