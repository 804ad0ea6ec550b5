"""In a real browser (here: it logs in a CAF agent, whom structures does not know): an agent of CAF 43 imports the committed real-world list, reads the simulation, confirms,
and finds the fiches; each page passes axe on the desktop and at 360 px."""

import json

import pytest
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.test_e2e import ARTIFACTS, login
from monenfant.tests.test_e2e_rendu import Audit
from structures.models import Structure
from structures.tests.test_collecte import CORRESPONDANCE, FICHIER

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agent_imports_a_list_reads_the_simulation_confirms_and_finds_the_fiches(page, live_server, demo_directory,
                                                                                    tmp_path, fake_ban):
    ARTIFACTS.mkdir(exist_ok=True)
    correspondance = tmp_path / "correspondance-43.json"
    correspondance.write_text(json.dumps(CORRESPONDANCE), encoding="utf-8")
    fake_ban.add("2 place du Breuil", lon=3.8851, lat=45.0429, citycode="43157", score=0.93)
    audit = Audit()

    login(page, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
    page.goto(live_server.url + "/administration/structures/structure/")
    page.get_by_role("link", name="Importer des fiches").click()
    audit.shown(page, "import-ajout", design_system=False)
    page.get_by_label("Liste de structures").set_input_files(str(FICHIER))
    page.get_by_label("Fichier de correspondance (JSON)").set_input_files(str(correspondance))
    with page.expect_navigation():
        page.get_by_role("button", name="Lancer la simulation").click()
    expect(page.locator("#avancement-statut")).to_have_text("Simulée, à confirmer")
    expect(page.locator("#import-lignes")).to_contain_text("Rubrique « MAJ » (colonne CATEGORIE) absente de la correspondance.")
    expect(page.locator("#import-lignes")).to_contain_text("Ancien code INSEE 43255 : commune devenue Esplantas-Vazeilles")
    page.screenshot(path=ARTIFACTS / "import-simulation.png", full_page=True)
    audit.shown(page, "import-simulation", design_system=False)
    assert not Structure.objects.filter(source="cd43-accueil").exists()

    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import lancé")
    expect(page.locator("#avancement-statut")).to_have_text("Terminé")
    page.get_by_role("link", name="Rejetée").click()
    expect(page.locator("#import-lignes tbody tr")).to_have_count(8)
    page.screenshot(path=ARTIFACTS / "import-rapport-rejetees.png", full_page=True)
    audit.shown(page, "import-rapport", design_system=False)
    audit.assert_none()
    # Bourg-en-Bresse (01) is not of this agent's département; Les Coccinelles is no demo fiche here: created.
    assert Structure.objects.filter(source="cd43-accueil").count() == 17

    page.goto(live_server.url + "/recherche/?code_insee=43041&rubrique=MAM")
    expect(page.get_by_role("link", name="MAM Les Câlins")).to_be_visible()
    page.get_by_role("link", name="MAM Les Câlins").click()
    expect(page.get_by_text("Maison d'assistants maternels").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "import-mam-fiche.png", full_page=True)
