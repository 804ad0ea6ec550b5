"""In a real browser: an agent of CAF 43 reads needs beside offer, the connection control and the usage of
the site, in the back office's steering section, and nothing of another département."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compteurs import counters
from demandes.models import StatistiqueDemande
from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.test_e2e import ARTIFACTS, login
from structures.models import Structure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_caf_agent_steers_with_needs_connections_and_usage(browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    linf = Structure.objects.get(commune__departement="43", rubrique="LINF", guichet__ouvert=True)
    for besoin, n in (("creche", 3), ("assmat", 1)):
        counters.add(StatistiqueDemande, {
            "mois": timezone.localdate().replace(day=1), "commune_id": "43157", "linf": linf, "besoin": besoin,
            "tranche_age": "0-1", "horaires_atypiques": False, "handicap": False, "situation": "emploi",
            "statut": "nouvelle", "delai_jours": None}, n)

    # The habilitated person of the Velay logs in once: the control counts it.
    person = browser.new_context().new_page()
    login(person, live_server, "/pro/", f"linf43@{DEMO_DOMAIN}")
    expect(person.get_by_role("heading", level=1)).to_be_visible()

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
    steering = page.locator(".module", has=page.locator("caption", has_text="Pilotage et statistiques"))
    steering.get_by_role("link", name="Besoins et offre").click()
    demandes = page.locator("#besoins-demandes")
    expect(demandes.get_by_role("row", name=re.compile("Le Puy-en-Velay"))).to_contain_text("4")
    expect(page.locator("#besoins-periode")).to_contain_text("département 43")
    page.screenshot(path=ARTIFACTS / "pilotage-besoins-offre.png", full_page=True)

    page.goto(live_server.url + "/administration/")
    steering.get_by_role("link", name="Contrôle des connexions").click()
    row = page.get_by_role("row", name=re.compile(f"linf43@{DEMO_DOMAIN}"))
    expect(row).to_contain_text("Point information familles du Velay")
    expect(row.locator("td.field-connexions")).to_have_text("1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contrôle des connexions")
    page.screenshot(path=ARTIFACTS / "pilotage-controle-connexions.png", full_page=True)

    page.goto(live_server.url + "/administration/")
    steering.get_by_role("link", name="Usage du site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Usage du site — .* — votre territoire$"))
    expect(page.locator("h1")).to_have_count(1)
    page.screenshot(path=ARTIFACTS / "pilotage-usage.png", full_page=True)

    response = page.goto(live_server.url + "/administration/demandes/besoinsoffre/?departement=64")
    assert response.status == 404
