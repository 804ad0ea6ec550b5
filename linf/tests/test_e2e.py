"""The habilitation, end to end in a real browser: request, convention, validation, activation, guichet."""

import datetime
import re

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.otp import code_now
from habilitations.tests.test_e2e import ARTIFACTS, login
from linf.models import ContratCafCnaf
from notifications.models import Notification
from structures.models import Structure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_rate_limits")]


def test_whole_habilitation_flow_from_request_to_open_guichet(page, live_server, demo_directory):
    ContratCafCnaf.objects.create(departement_id="43", signe_le=timezone.localdate() - datetime.timedelta(days=60), actif=True)
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
    # The challenge: the person reads the image; the test reads its answer where the server keeps it.
    expect(page.locator("img.captcha")).to_be_visible()
    hashkey = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Recopiez le texte de l'image").fill(CaptchaStore.objects.get(hashkey=hashkey).response)
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
    assert activation.envoyee_le is not None and "nouveau-mot-de-passe" not in activation.corps, "not kept once sent"
    [sent] = [m for m in mail.outbox if m.to == ["julie.roche@agglo43.example.fr"]]
    link = re.search(r"https?://[^/]+(/pro/nouveau-mot-de-passe/\S+)", sent.body).group(1)
    person = page.context.browser.new_context().new_page()
    person.goto(live_server.url + link)
    person.locator("#id_new_password1").fill("Velay2026linf")
    person.locator("#id_new_password2").fill("Velay2026linf")
    person.get_by_role("button", name="Enregistrer").click()
    person.get_by_label("Adresse électronique").fill("julie.roche@agglo43.example.fr")
    person.locator("#id_password").fill("Velay2026linf")
    person.get_by_role("button", name="Se connecter").click()
    # First login: the second factor is paired (the app reads the QR code or the key shown).
    expect(person.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    person.screenshot(path=ARTIFACTS / "habilitation-3-double-authentification.png", full_page=True)
    person.get_by_label("Code de vérification").fill(code_now(person.locator("#cle-second-facteur").inner_text()))
    person.get_by_role("button", name="Activer").click()
    expect(person.locator(".mf-codes code")).to_have_count(10)
    person.get_by_role("link", name="Continuer").click()
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
