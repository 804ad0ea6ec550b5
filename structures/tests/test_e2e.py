"""A parent's main path in a real browser (Debian's chromium), on a desktop and on a phone."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page):
    """No serious or critical violation found by axe-core (WCAG 2 A/AA rules)."""
    if not page.evaluate("typeof window.axe === 'object'"):  # once per document: a resize keeps it
        # Evaluated by the browser's debugging protocol, not added as an inline <script>, which the
        # Content-Security-Policy refuses.
        page.evaluate(AXE.read_text())
    # Media only preloaded: the CSS axe would reload (the sheets a sheet @imports, Django's admin) goes into
    # <style> elements, which the Content-Security-Policy refuses; no rule of WCAG 2 A/AA reads it.
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},"
        " resultTypes: ['violations'], preload: {assets: ['media']}})"
    )
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} élément(s), ex. {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("ecran", ["ordinateur", "telephone"])
def test_parent_finds_a_creche_near_le_puy_and_opens_its_fiche(page, live_server, demo_directory, ecran):
    ARTIFACTS.mkdir(exist_ok=True)
    if ecran == "telephone":
        page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    page.get_by_label("Commune ou code postal").press_sequentially("Le Puy", delay=30)
    option = page.get_by_role("option", name="Le Puy-en-Velay (43000)")
    expect(option).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"1-accueil-autocompletion-{ecran}.png", full_page=True)
    option.click()
    expect(page.locator("#code_insee")).to_have_value("43157")

    # DSFR draws the checkbox on its label: a person clicks the label.
    page.locator("label[for=rubrique-EAJE]").click()
    expect(page.get_by_label("Crèche et autre accueil collectif (EAJE)")).to_be_checked()
    expect(page.get_by_label("Distance maximale")).to_have_value("10")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Modes d'accueil autour du Puy-en-Velay")
    expect(page.get_by_role("status")).to_contain_text("à moins de 10 km du Puy-en-Velay")
    results = page.locator(".mf-results > li")
    assert results.count() >= 5
    expect(results.first).to_contain_text("km")
    # Badges are drawn in capitals by the DSFR: compare their text content.
    for badge in results.locator(".fr-badge--info").all_text_contents():
        assert badge == "Crèche et autre accueil collectif (EAJE)"
    expect(page.locator("#carte .leaflet-marker-icon").first).to_be_attached()
    page.screenshot(path=ARTIFACTS / f"2-resultats-{ecran}.png", full_page=True)
    assert_accessible(page)

    first_name = results.first.locator("h2").inner_text()
    results.first.locator("h2 a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_name)
    expect(page.get_by_role("heading", name="Contact")).to_be_visible()
    expect(page.get_by_role("heading", name="Jours et horaires d'ouverture")).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"3-fiche-{ecran}.png", full_page=True)
    assert_accessible(page)


def test_parent_sorts_from_home_with_the_keyboard_and_the_address_stays_out_of_the_url(page, live_server, demo_directory, fake_ban):
    """The address is posted and kept in the session: the results URL, its pages and a shared link carry none."""
    from structures.models import Commune
    from structures.tests.factories import point_at_km

    home = point_at_km(Commune.objects.get(code_insee="43157").point, 3)
    fake_ban.add("8 rue Pannessac", lon=home.x, lat=home.y, citycode="43157")
    page.goto(live_server.url + "/")
    commune = page.get_by_label("Commune ou code postal")
    commune.focus()
    commune.press_sequentially("Le Puy", delay=30)
    expect(page.get_by_role("option", name="Le Puy-en-Velay (43000)")).to_be_visible()
    commune.press("ArrowDown")
    commune.press("Enter")
    expect(page.locator("#code_insee")).to_have_value("43157")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adresse (facultatif)")).to_be_focused()
    page.keyboard.type("8 rue Pannessac")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("à moins de 10 km de votre adresse")
    expect(page.locator(".mf-adresse")).to_contain_text("Distances calculées depuis votre adresse : 8 rue Pannessac")
    assert "Pannessac" not in page.url and "adresse" not in page.url and "code_insee=43157" in page.url
    expect(page.get_by_label("Adresse (facultatif)")).to_have_value("8 rue Pannessac")
    next_page = page.get_by_role("link", name="Page suivante")
    if next_page.count():
        assert "Pannessac" not in next_page.get_attribute("href")
    page.screenshot(path=ARTIFACTS / "4-resultats-depuis-l-adresse.png", full_page=True)
    assert_accessible(page)

    forget = page.get_by_role("button", name="Ne plus utiliser cette adresse")
    forget.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("à moins de 10 km du Puy-en-Velay")
    expect(page.locator(".mf-adresse")).to_have_count(0)
    expect(page.get_by_label("Adresse (facultatif)")).to_have_value("")


def test_on_a_360_px_phone_results_show_the_name_first_the_map_one_tap_away_and_removable_filters(
        page, live_server, demo_directory):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/recherche/?code_insee=43157&rubrique=EAJE&rayon_km=20&places_disponibles=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modes d'accueil autour du Puy-en-Velay")
    first = page.locator(".mf-results > li").first
    name, badges = first.locator(".fr-card__title").bounding_box(), first.locator(".fr-badges-group").bounding_box()
    assert name["y"] + name["height"] <= badges["y"], "the name first, then the badges"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"

    tags = page.locator(".mf-filtres .fr-tag")
    expect(tags).to_have_count(3)
    assert_accessible(page)
    page.screenshot(path=ARTIFACTS / "5-resultats-telephone-360.png", full_page=True)

    expect(page.locator("#carte")).not_to_be_in_viewport()
    page.get_by_role("link", name="Carte").click()
    expect(page.locator("#carte")).to_be_in_viewport()
    page.screenshot(path=ARTIFACTS / "6-carte-telephone-360.png")

    page.get_by_role("link", name="Retirer le filtre : Places disponibles maintenant").click()
    expect(tags).to_have_count(2)
    assert "places_disponibles" not in page.url and "rubrique=EAJE" in page.url and "rayon_km=20" in page.url


def test_on_a_360_px_phone_no_page_runs_wider_than_the_screen(page, live_server, demo_directory):
    """RGAA 10.11: nothing to scroll sideways at 360 px, the search form open included."""
    from structures.models import Structure

    page.set_viewport_size({"width": 360, "height": 740})
    fiche = Structure.objects.published().first()
    for path in ["/", f"/structures/{fiche.pk}/", "/recherche/?code_insee=43157"]:
        page.goto(live_server.url + path)
        if path.startswith("/recherche/"):
            page.get_by_text("Modifier la recherche").click()
            expect(page.get_by_label("Distance maximale")).to_be_visible()
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{path} : {widths[0]} px de large pour un écran de {widths[1]} px"


HEADER_LINKS = ["Je suis un professionnel", "Accueil", "Trouver un mode d'accueil", "Estimer le coût",
                "Écrire au lieu d'information", "Guide des parents"]


def test_on_a_360_px_phone_without_javascript_the_header_links_are_on_the_page(browser, live_server, demo_directory):
    """RGAA 12.x: the DSFR's "Menu" button needs its script; without it the header's links stay reachable."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/")
    for name in HEADER_LINKS:
        expect(page.get_by_role("link", name=name, exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()  # a button that would do nothing
    page.screenshot(path=ARTIFACTS / "entete-sans-js-telephone.png", full_page=True)
    page.get_by_role("link", name="Je suis un professionnel").click()
    expect(page).to_have_url(re.compile(r"/pro/"))
    context.close()


def test_on_a_360_px_phone_with_javascript_the_menu_button_shows_every_header_link(page, live_server, demo_directory):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Je suis un professionnel")).to_be_hidden()  # behind the button, once
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#modal-menu")
    for name in HEADER_LINKS:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Je suis un professionnel")).to_have_count(1)  # no second copy read aloud
