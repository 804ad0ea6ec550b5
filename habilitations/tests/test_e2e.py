"""Main paths of the CAF agent, the structure manager and the assistant maternel, in a real browser."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN, DEMO_PASSWORD
from habilitations.tests.otp import code_now
from structures.models import Structure

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


RECOVERY_CODES: dict[str, list[str]] = {}


def login(page, live_server, url, email, seen=None):
    """The one login page (the back office sends there too), then the second factor where the account
    has one: the app paired at the first login from the key shown, a recovery code at the next ones.
    `seen(page, name)`, when given, is called on each page of the second factor (the rendering audit)."""
    seen = seen or (lambda page, name: None)
    page.goto(live_server.url + url)
    page.get_by_label("Adresse électronique").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    if "/double-authentification/activer/" in page.url:
        seen(page, "second-facteur-activer")
        page.get_by_label("Code de vérification").fill(code_now(page.locator("#cle-second-facteur").inner_text()))
        with page.expect_navigation():
            page.get_by_role("button", name="Activer").click()
        codes = page.locator(".mf-codes code")
        expect(codes).to_have_count(10)  # waits for the page, which a loaded machine serves later
        RECOVERY_CODES[email] = codes.all_inner_texts()
        seen(page, "second-facteur-codes-de-secours")
        with page.expect_navigation():
            page.get_by_role("link", name="Continuer").click()
    elif "/double-authentification/" in page.url:
        seen(page, "second-facteur")
        page.get_by_label("Code de vérification").fill(RECOVERY_CODES[email].pop())
        with page.expect_navigation():
            page.get_by_role("button", name="Valider").click()


MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]


def in_two_months() -> datetime.date:
    """The 15th of the month after next: always ahead, whatever the day the suite runs."""
    first = timezone.localdate().replace(day=1)
    return (first + datetime.timedelta(days=62)).replace(day=15)


def pick(page, container_selector, text, option):
    page.locator(container_selector).click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_caf_agent_creates_a_linf_fiche_and_finds_it_under_linf(page, live_server, demo_directory):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
    page.goto(live_server.url + "/administration/structures/structure/add/")
    page.locator("#id_rubrique").select_option("LINF")
    page.locator("#id_nom").fill("Point info familles d'Yssingeaux")
    page.locator("#id_telephone").fill("04 71 59 00 00")
    page.locator("#id_adresse").fill("2 place Foch")
    page.locator("#id_code_postal").fill("43200")
    pick(page, "#id_commune + .select2", "Yssingeaux", "Yssingeaux")
    page.locator("#id_presentation").fill("Informations sur tous les modes d'accueil du plateau.")
    pick(page, ".field-communes_desservies .select2-selection", "Yssingeaux", "Yssingeaux")
    page.locator("#id_horaires-0-jour").select_option("2")
    page.locator("#id_horaires-0-ouverture").fill("09:00")
    page.locator("#id_horaires-0-fermeture").fill("12:00")
    page.screenshot(path=ARTIFACTS / "admin-fiche-linf.png", full_page=True)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")

    page.goto(live_server.url + "/administration/structures/structure/?rubrique__exact=LINF")
    expect(page.locator("#result_list")).to_contain_text("Point info familles d'Yssingeaux")
    expect(page.locator("#result_list")).not_to_contain_text("Béarn")  # département 64 stays out of sight
    page.screenshot(path=ARTIFACTS / "admin-structures-linf.png", full_page=True)
    fiche = Structure.objects.get(nom="Point info familles d'Yssingeaux")
    assert fiche.commune_id == "43268" and fiche.horaires.count() == 1


def test_manager_updates_places_and_a_parent_sees_them(page, live_server, demo_directory):
    login(page, live_server, "/pro/connexion/", f"gestionnaire43@{DEMO_DOMAIN}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    page.get_by_role("link", name="Mettre à jour la fiche").first.click()
    name = page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Places disponibles").fill("7")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Votre fiche est à jour")
    page.screenshot(path=ARTIFACTS / "pro-gestionnaire.png", full_page=True)

    parent = page.context.browser.new_page()
    parent.goto(live_server.url + "/recherche/?code_insee=43157&rubrique=EAJE&rayon_km=20")
    card = parent.locator(".mf-results > li", has_text=name)
    expect(card).to_contain_text("7 places disponibles")
    expect(card).to_contain_text("mises à jour le")
    parent.screenshot(path=ARTIFACTS / "parent-voit-les-places.png", full_page=True)


def test_assistant_maternel_sets_availability(page, live_server, demo_directory):
    login(page, live_server, "/pro/connexion/", f"assmat43@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Mettre à jour la fiche").click()
    libre_le = in_two_months()
    page.get_by_label("Place disponible à partir du").fill(libre_le.isoformat())
    page.locator("label[for=id_creneaux_0]").click()
    page.locator("label[for=id_creneaux_4]").click()
    page.get_by_label("Langues parlées").fill("français, anglais")
    page.get_by_role("button", name="Enregistrer et confirmer toute ma fiche").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre fiche est à jour")
    fiche = Structure.objects.get(affectations__user__email=f"assmat43@{DEMO_DOMAIN}")
    assert [str(c) for c in fiche.creneaux_disponibles.all()] == ["Lundi matin", "Mercredi matin"]
    page.goto(live_server.url + f"/structures/{fiche.pk}/")
    en_clair = f"{libre_le.day} {MOIS[libre_le.month - 1]} {libre_le.year}"
    expect(page.get_by_text(f"Place disponible dès le {en_clair}", exact=True).last).to_be_visible()
    page.screenshot(path=ARTIFACTS / "assmat-disponibilites.png", full_page=True)
