"""In a real browser: an agent of CAF 64 publishes an initiative, shown next to Pau's results, never in 43."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.test_e2e import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agent_of_caf_64_publishes_an_initiative_seen_in_pau_only(page, live_server, demo_directory, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    affiche = tmp_path / "affiche.png"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 300), "purple").save(buffer, "PNG")
    affiche.write_bytes(buffer.getvalue())
    texte = tmp_path / "faux.png"
    texte.write_text("<svg onload=alert(1)>")

    login(page, live_server, "/administration/", f"agent.caf64@{DEMO_DOMAIN}")
    page.goto(live_server.url + "/administration/structures/initiativelocale/add/")
    assert page.locator("#id_departement option[value='43']").count() == 0, "only its own département"
    page.locator("#id_departement").select_option("64")
    page.locator("#id_titre").fill("Forum de l'accueil du jeune enfant")
    page.locator("#id_texte").fill("Samedi 12 décembre au Parvis de Pau : crèches, relais et assistants maternels.")
    page.locator("#id_debut").fill("01/11/2026")
    page.locator("#id_fichier_image").set_input_files(str(texte))
    page.locator("input[name=_save]").click()
    expect(page.locator(".errorlist")).to_contain_text("pas une image lisible")
    page.locator("#id_fichier_image").set_input_files(str(affiche))
    page.locator("#id_image_alt").fill("Affiche violette du forum")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")

    page.goto(live_server.url + "/recherche/?code_insee=64445")
    section = page.get_by_role("region", name="Près de chez vous, votre CAF vous informe")
    expect(section).to_contain_text("Forum de l'accueil du jeune enfant")
    expect(section.get_by_role("img", name="Affiche violette du forum")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "initiative-pau.png", full_page=True)
    page.goto(live_server.url + "/recherche/?code_insee=43157")
    expect(page.get_by_text(re.compile("Forum de l'accueil"))).to_have_count(0)
    page.goto(live_server.url + "/departements/64/")
    expect(page.get_by_text("Forum de l'accueil du jeune enfant", exact=True)).to_be_visible()
