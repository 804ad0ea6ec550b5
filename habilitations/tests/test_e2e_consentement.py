"""In a real browser: an assistant maternel withdraws consent and disappears from search and the API."""

import pytest
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.models import User
from habilitations.tests.test_e2e import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_assistant_maternel_withdraws_consent_and_leaves_search_and_the_api(page, live_server, demo_directory):
    ARTIFACTS.mkdir(exist_ok=True)
    fiche = User.objects.get(email=f"assmat43@{DEMO_DOMAIN}").affectations.get().structure
    search = f"{live_server.url}/recherche/?code_insee={fiche.commune_id}&rubrique=ASSMAT&rayon_km=5"
    api = f"{live_server.url}/api/structures/?commune={fiche.commune_id}&rubrique=ASSMAT&rayon_km=5&limite=200"
    page.goto(search)
    expect(page.get_by_role("link", name=fiche.nom)).to_be_visible()

    login(page, live_server, "/pro/connexion/", f"assmat43@{DEMO_DOMAIN}")
    expect(page.get_by_text("Fiche publiée avec votre accord")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "consentement-1-publie.png", full_page=True)
    page.get_by_role("button", name="Retirer mon consentement : ne plus apparaître sur le site").click()
    expect(page.get_by_text("Votre consentement est retiré")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "consentement-2-retire.png", full_page=True)

    page.goto(search)
    expect(page.get_by_role("link", name=fiche.nom)).to_have_count(0)
    ids = [f["properties"]["id"] for f in page.request.get(api).json()["features"]]
    assert ids and fiche.pk not in ids
    assert page.request.get(f"{live_server.url}/structures/{fiche.pk}/").status == 404
