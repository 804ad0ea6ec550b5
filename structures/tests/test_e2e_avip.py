"""A jobseeker parent in Pau, on a phone, finds the AVIP crèches within 10 km and sees their badge."""

import re

import pytest
from playwright.sync_api import expect

from structures.models import Structure
from structures.tests.test_e2e import ARTIFACTS, assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
BADGE = "AVIP : places pour parents en recherche d'emploi ou en formation"


def test_a_jobseeker_in_pau_finds_the_avip_creches_within_10_km_on_a_phone(page, live_server, demo_directory):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Voir les places pour parents en insertion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous cherchez un emploi ou suivez une formation ?")
    page.get_by_label("Votre commune ou code postal").press_sequentially("Pau", delay=30)
    page.get_by_role("option", name="Pau (64000)").click()
    page.get_by_role("button", name="Voir les solutions AVIP").click()
    expect(page.get_by_role("status")).to_contain_text("à moins de 20 km de Pau")
    assert_accessible(page)
    page.screenshot(path=ARTIFACTS / "avip-1-page-pau-telephone.png", full_page=True)

    # The same from the search, with the filter and 10 km.
    page.goto(live_server.url + "/recherche/")
    page.get_by_label("Commune ou code postal").press_sequentially("Pau", delay=30)
    page.get_by_role("option", name="Pau (64000)").click()
    page.get_by_label("Distance maximale").select_option("10")
    page.locator("label[for=avip]").click()
    page.get_by_role("button", name="Rechercher").click()
    cards = page.locator("ol.mf-results > li")
    expected = Structure.objects.avip().filter(commune__departement="64").count()
    assert expected >= 2, "the demo has AVIP crèches around Pau"
    expect(cards.first).to_be_visible()
    for i in range(cards.count()):
        expect(cards.nth(i)).to_contain_text(BADGE)
        distance = float(re.search(r"à ([\d,]+) km", cards.nth(i).inner_text()).group(1).replace(",", "."))
        assert distance <= 10
    # On the map too, in its own colour and in words (the marker's title).
    marker = page.locator("#carte .leaflet-marker-icon.mf-marker-avip").first
    expect(marker).to_be_attached()
    expect(marker).to_have_attribute("title", re.compile(r"\(AVIP\)$"))
    page.screenshot(path=ARTIFACTS / "avip-2-recherche-pau-telephone.png", full_page=True)
    cards.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile("Label AVIP"))).to_be_visible()
