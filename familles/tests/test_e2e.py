"""Issue 24's journey in a real browser, on what `make run` serves: a family around Le Puy states its need once
(a baby of 4 months, Monday to Friday 8 h–18 h from the next 1 March, 3,000 € a month, 2 children), finds first
what fits with what each would cost (the simulator's figure), saves its need; an assistant maternel opens a
matching place in /pro/ and the family's email arrives once; the family follows a demande through its private
link and withdraws it."""

import datetime
import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from demandes import services as demandes_services
from demandes.models import Demande
from familles import services
from familles.couts import TYPE_POUR_LE_BAREME
from habilitations.demo import DEMO_DOMAIN
from habilitations.models import Affectation
from habilitations.tests.test_e2e import ARTIFACTS, login
from simulateur.enums import TypeAccueil as TypeSimulateur
from structures.enums import Rubrique
from structures.models import Commune, Structure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FAMILLE = "famille.vidal@example.fr"


def prochain_1er_mars() -> datetime.date:
    today = timezone.localdate()
    mars = datetime.date(today.year, 3, 1)
    return mars if mars > today else datetime.date(today.year + 1, 3, 1)


def cout_du_simulateur(structure: Structure) -> Decimal:
    """What the simulator's public API says for this fiche and this need, then the tax credit (half of a year's
    spending within 3,500 €), rounded to the euro as the card shows it."""
    params = {"date": timezone.localdate().isoformat(), "ressources_mensuelles": "3000", "enfants_a_charge": "2",
              "heures_par_semaine": "50", "jours_par_semaine": "5"}
    client = Client()
    if structure.rubrique == Rubrique.ASSMAT:
        reponse = client.get("/api/simulateur/assistant-maternel/", {
            **params, "salaire_horaire": str(structure.tarif_horaire),
            "indemnite_entretien": str(structure.indemnite_entretien or ""),
            "prix_repas": str(structure.prix_repas or ""), "repas_par_jour": "0" if structure.prix_repas is None else "1"})
        mensuel = reponse.json()["reste_a_charge"]
    else:
        type_accueil = TYPE_POUR_LE_BAREME.get(structure.type_accueil, TypeSimulateur.COLLECTIF)
        mensuel = client.get("/api/simulateur/creche/", {**params, "type_accueil": type_accueil}).json()[
            "participation_mensuelle"]
    annuel = Decimal(str(mensuel)) * 12
    credit = (min(annuel, Decimal(3500)) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ((annuel - credit) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).quantize(
        Decimal(1), rounding=ROUND_HALF_UP)


def courriels_a(adresse: str) -> list:
    return [m for m in mail.outbox if m.to == [adresse]]


def test_a_family_states_its_need_finds_what_fits_with_its_cost_is_told_of_a_new_place_and_withdraws_a_demande(
        browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    debut = prochain_1er_mars()

    # 1. The need, stated once on the search form (on a phone).
    famille = browser.new_context(**PHONE).new_page()
    famille.goto(live_server.url + "/recherche/")
    famille.get_by_label("Commune ou code postal").fill("Le Puy")
    famille.get_by_role("option", name=re.compile("Le Puy-en-Velay")).click()
    famille.get_by_label("Distance maximale").select_option("20")
    famille.get_by_text("Mon besoin d'accueil (facultatif)").click()
    famille.get_by_label("Ou son âge aujourd'hui, en mois").fill("4")
    famille.get_by_label("Début de l'accueil souhaité").fill(debut.isoformat())
    for jour in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"):
        famille.locator("#jours-legend").locator("..").locator("label", has_text=re.compile(f"^{jour}$")).click()
    famille.get_by_label("Arrivée").fill("08:00")
    famille.get_by_label("Départ").fill("18:00")
    famille.get_by_label("Ressources du foyer (€ par mois)").fill("3000")
    famille.get_by_label("Enfants à charge").fill("2")
    famille.get_by_role("button", name="Rechercher").click()
    expect(famille.locator(".mf-besoin-resume")).to_contain_text("du lundi au vendredi, de 8 h à 18 h")
    assert "ressources" not in famille.url and "debut" not in famille.url

    # 2. First, what fits entirely, each with its cost: the simulator's figure.
    cartes = famille.locator("ol.mf-results > li")
    premiere = cartes.first
    expect(premiere.locator(".mf-convient")).to_have_count(3)
    expect(premiere.locator(".mf-ne-convient-pas")).to_have_count(0)
    for n in range(min(3, cartes.count())):
        carte = cartes.nth(n)
        pk = int(re.search(r"/structures/(\d+)/", carte.locator("h2 a").get_attribute("href")).group(1))
        structure = Structure.objects.get(pk=pk)
        if carte.locator(".mf-ne-convient-pas").count() == 0 and structure.rubrique in (Rubrique.EAJE, Rubrique.ASSMAT) \
                and (structure.financement_psu or structure.tarif_horaire):
            attendu = f"≈ {cout_du_simulateur(structure):,.0f} €/mois après aides".replace(",", "\u202f")
            expect(carte.locator(".mf-cout")).to_contain_text(attendu)
    premiere.get_by_text("Le détail du calcul").click()
    expect(premiere.locator(".mf-cout ul")).to_contain_text("crédit d'impôt")
    famille.screenshot(path=ARTIFACTS / "besoin-1-resultats-classes.png", full_page=True)

    # 3. The family saves its need, then confirms its address from the email.
    famille.get_by_label(re.compile("Être prévenu par courriel")).fill(FAMILLE)
    famille.get_by_role("button", name="Créer l'alerte").click()
    expect(famille.get_by_role("heading", level=1)).to_have_text("Confirmez votre alerte")
    confirmation = courriels_a(FAMILLE)[-1].body
    famille.goto(live_server.url + re.search(r"/alertes/[\w-]+/confirmer/", confirmation).group(0))
    famille.get_by_role("button", name="Confirmer mon alerte").click()
    expect(famille.get_by_role("status")).to_contain_text("Votre alerte est active")
    famille.screenshot(path=ARTIFACTS / "besoin-2-alerte-active.png", full_page=True)

    # 4. An assistant maternel near Le Puy opens a place that fits, in /pro/.
    assmat = Affectation.objects.get(user__email=f"assmat43@{DEMO_DOMAIN}").structure
    le_puy = Commune.objects.get(code_insee="43157")
    assert assmat.point.distance(le_puy.point) * 111 < 20
    pro = browser.new_context().new_page()
    login(pro, live_server, "/pro/", f"assmat43@{DEMO_DOMAIN}")
    pro.goto(f"{live_server.url}/pro/structures/{assmat.pk}/")
    pro.get_by_label("Âge minimum accepté (mois)").fill("0")
    pro.get_by_label("Âge maximum accepté (mois)").fill("36")
    pro.get_by_label("Places disponibles", exact=True).fill("1")
    pro.get_by_label("Place disponible à partir du").fill("")
    for jour in range(1, 6):
        for demi in ("matin", "apres_midi"):
            pro.locator(f'#creneaux input[value="{jour}-{demi}"]').check(force=True)
    with pro.expect_navigation():
        pro.get_by_role("button", name="Enregistrer", exact=True).click()
    assert Structure.objects.get(pk=assmat.pk).places_disponibles == 1
    pro.screenshot(path=ARTIFACTS / "besoin-2b-pro-place-ouverte.png", full_page=True)

    # 5. The periodic task: the family's email arrives, once.
    avant = len(courriels_a(FAMILLE))
    services.envoyer_les_alertes()
    services.envoyer_les_alertes()
    places = [m for m in courriels_a(FAMILLE)[avant:] if m.subject == "Une place qui vous convient s'est libérée"]
    assert len(places) == 1
    assert assmat.nom in places[0].body

    # 6. A demande, followed through its private link and withdrawn.
    demande = demandes_services.create_demande_information(
        commune=le_puy, enfants=[{"date_naissance": timezone.localdate() - datetime.timedelta(days=120)}],
        qualite="parent", besoin="assmat", a_partir_du=debut, prenom="Inès", nom="Vidal", email=FAMILLE,
        telephone="", message="Nous cherchons un assistant maternel pour mars.")
    corps = html.unescape(courriels_a(FAMILLE)[-1].body)
    chemin = re.search(r"/demande-information/suivi/[\w-]+/", corps).group(0)
    famille.goto(live_server.url + chemin)
    expect(famille.get_by_role("heading", level=1)).to_contain_text(demande.reference)
    famille.screenshot(path=ARTIFACTS / "besoin-3-suivi-demande.png", full_page=True)
    famille.get_by_role("link", name="Retirer ma demande").click()
    famille.get_by_role("button", name="Oui, retirer ma demande").click()
    expect(famille.get_by_role("heading", level=1)).to_have_text("Votre demande est retirée")
    assert not Demande.objects.filter(pk=demande.pk).exists()
    assert famille.goto(live_server.url + chemin).status == 404
