"""Main paths of the CAF agent, the structure manager and the assistant maternel, in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN, DEMO_PASSWORD
from structures.models import Structure

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, url, email):
    page.goto(live_server.url + url)
    page.get_by_label("Adresse électronique").fill(email) if "/pro/" in url else page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")


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
    page.get_by_label("Place disponible à partir du").fill("2027-02-01")
    page.locator("label[for=id_creneaux_0]").click()
    page.locator("label[for=id_creneaux_4]").click()
    page.get_by_label("Langues parlées").fill("français, anglais")
    page.get_by_role("button", name="Enregistrer et confirmer mes disponibilités").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre fiche est à jour")
    fiche = Structure.objects.get(affectations__user__email=f"assmat43@{DEMO_DOMAIN}")
    assert [str(c) for c in fiche.creneaux_disponibles.all()] == ["Lundi matin", "Mercredi matin"]
    page.goto(live_server.url + f"/structures/{fiche.pk}/")
    expect(page.get_by_text("Place disponible dès le 1 février 2027", exact=True).last).to_be_visible()
    page.screenshot(path=ARTIFACTS / "assmat-disponibilites.png", full_page=True)


def test_whole_habilitation_flow_from_request_to_open_guichet(page, live_server, demo_directory):
    import datetime
    import re

    from habilitations.workflow import Notification
    from linf.models import ContratCafCnaf

    ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True)
    linf = Structure.objects.get(rubrique="LINF", commune__departement="43")
    communes = ", ".join(c.nom for c in linf.communes_desservies.all())

    # 1. The manager asks, without an account.
    page.goto(live_server.url + "/pro/habilitation/")
    page.get_by_label("Département de la CAF à laquelle vous vous adressez").select_option("43")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Nom de l'organisme gestionnaire").fill("Communauté d'agglomération du Puy-en-Velay")
    page.get_by_label("Adresse de l'organisme").fill("16 place de la Libération, 43000 Le Puy-en-Velay")
    page.get_by_label("Vos prénom et nom").fill("Claire Vidal")
    page.get_by_label("Votre adresse électronique").fill("claire.vidal@agglo43.example.fr")
    page.locator(f"label:has-text('{linf.nom}')").click()
    page.get_by_label("Communes pour lesquelles vous demandez l'habilitation").fill(communes)
    page.locator("#id_personnes-0-prenom").fill("Julie")
    page.locator("#id_personnes-0-nom").fill("Roche")
    page.locator("#id_personnes-0-email").fill("julie.roche@agglo43.example.fr")
    page.locator("#id_personnes-0-fonction").fill("Animatrice")
    page.screenshot(path=ARTIFACTS / "habilitation-1-demande.png", full_page=True)
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Non traitée")
    suivi = page.url

    # 2. The CAF agent sends the convention, then validates.
    agent = page.context.browser.new_context().new_page()
    login(agent, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
    agent.goto(live_server.url + "/administration/habilitations/demandehabilitation/")
    agent.get_by_role("link", name=re.compile("HAB-")).first.click()
    agent.get_by_role("button", name="Générer et envoyer la convention").click()
    expect(agent.locator(".messagelist")).to_contain_text("Convention générée")
    agent.get_by_role("button", name="Convention signée reçue : valider").click()
    expect(agent.locator(".messagelist")).to_contain_text("Habilitation validée")
    agent.screenshot(path=ARTIFACTS / "habilitation-2-validee.png", full_page=True)
    page.goto(suivi)
    expect(page.get_by_role("heading", level=2)).to_contain_text("Validée")

    # 3. The habilitated person activates the account from the email in the outbox, and logs in.
    activation = Notification.objects.get(destinataires="julie.roche@agglo43.example.fr")
    assert activation.envoyee_le is not None
    link = re.search(r"https?://[^/]+(/pro/nouveau-mot-de-passe/\S+)", activation.corps).group(1)
    person = page.context.browser.new_context().new_page()
    person.goto(live_server.url + link)
    person.locator("#id_new_password1").fill("Velay2026linf")
    person.locator("#id_new_password2").fill("Velay2026linf")
    person.get_by_role("button", name="Enregistrer").click()
    person.get_by_label("Adresse électronique").fill("julie.roche@agglo43.example.fr")
    person.locator("#id_password").fill("Velay2026linf")
    person.get_by_role("button", name="Se connecter").click()
    expect(person.get_by_role("heading", name="Vos lieux d'information")).to_be_visible()
    person.screenshot(path=ARTIFACTS / "habilitation-3-personne.png", full_page=True)

    # 4. The agent opens the guichet of the LINF.
    agent.goto(live_server.url + "/administration/structures/structure/?rubrique__exact=LINF")
    agent.locator(f"tr:has-text('{linf.nom}') input.action-select").check()
    agent.locator("select[name=action]").select_option("ouvrir_guichet")
    agent.locator("button[name=index]").click()
    expect(agent.locator(".messagelist")).to_contain_text("guichet ouvert")
    expect(agent.locator("#result_list")).to_contain_text("Oui — guichet ouvert")
    agent.screenshot(path=ARTIFACTS / "habilitation-4-guichet.png", full_page=True)
