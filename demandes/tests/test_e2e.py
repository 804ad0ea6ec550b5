"""The demande d'information end to end in a real browser: the family in Le Puy, the LINF, the purge."""

import re
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from lxml import etree
from playwright.sync_api import expect

from demandes.exports import schema
from demandes.models import Demande, StatistiqueDemande
from demandes.purge import purge_expired
from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.fixtures import pdf_text
from habilitations.tests.test_e2e import ARTIFACTS, login
from notifications.models import Notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def tick(page, label: str):
    # DSFR draws radios and checkboxes on their label: click it, as a person does.
    page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")).click()


def select(page, reference: str):
    # With the keyboard, as the LINF person may: focus the row's checkbox, then Space.
    page.get_by_label(f"Sélectionner {reference}").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label(f"Sélectionner {reference}")).to_be_checked()


@pytest.mark.pdf
def test_a_family_in_le_puy_asks_the_linf_answers_and_six_months_later_only_counts_remain(browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    born = (timezone.localdate() - relativedelta(months=14)).isoformat()
    start = (timezone.localdate() + relativedelta(months=2)).isoformat()

    # The family, on a phone: from the home page to the confirmation.
    family = browser.new_context(**PHONE, accept_downloads=True).new_page()
    family.goto(live_server.url + "/")
    expect(family.get_by_role("heading", name="Une question sur les modes d'accueil ?")).to_be_visible()
    family.get_by_role("link", name="Poser ma question").click()
    family.get_by_label("Votre commune").fill("Le Puy")
    family.get_by_role("option", name=re.compile("Le Puy-en-Velay")).click()
    family.get_by_role("button", name="Continuer").click()
    # Continuing without an answer: the title says so, and the focus is on the summary of the errors.
    family.get_by_role("button", name="Continuer").click()
    expect(family).to_have_title(re.compile("^Erreur — Demande d'information — Vous"))
    expect(family.locator("#resume-erreurs")).to_be_focused()
    expect(family.locator("#resume-erreurs a[href='#id_qualite_0']")).to_have_text("Vous êtes : Ce champ est obligatoire.")
    tick(family, "Parent")
    tick(family, "Non")
    tick(family, "En recherche d'emploi")
    family.get_by_role("button", name="Continuer").click()
    family.locator("#id_enfants-0-date_naissance").fill(born)
    family.get_by_role("button", name="Continuer").click()
    tick(family, "Une crèche")
    family.get_by_label("À partir du").fill(start)
    family.get_by_label("Jours et horaires (facultatif)").fill("Lundi, mardi, jeudi de 8 h 30 à 17 h")
    family.get_by_role("button", name="Continuer").click()
    family.get_by_label("Prénom").fill("Inès")
    family.locator("#id_nom").fill("Chabrier")
    family.get_by_label("Adresse électronique").fill("ines.chabrier@example.fr")
    tick(family, "Par courriel")
    family.get_by_role("button", name="Continuer").click()
    family.get_by_label("Votre message (facultatif)").fill("Je reprends une formation en février.")
    family.get_by_role("button", name="Continuer").click()
    expect(family.get_by_text("Inès Chabrier")).to_be_visible()
    expect(family.locator(".mf-recap")).to_contain_text("Une crèche à partir du")
    family.get_by_text("J'accepte que ces informations").click()
    family.screenshot(path=ARTIFACTS / "demande-1-recapitulatif.png", full_page=True)
    family.get_by_role("button", name="Envoyer ma demande").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Votre demande est enregistrée")
    family.screenshot(path=ARTIFACTS / "demande-2-confirmation.png", full_page=True)
    demande = Demande.objects.get()
    expect(family.locator("strong", has_text=demande.reference)).to_be_visible()
    with family.expect_download() as download:
        family.get_by_role("link", name="Télécharger le récapitulatif (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert "Inès Chabrier" in pdf_text(type("Doc", (), {"pdf": pdf}))
    registered = Notification.objects.get(destinataires="ines.chabrier@example.fr")
    # Sent; its body, which holds the follow-up link, is blanked in the outbox once sent.
    assert registered.envoyee_le and demande.reference in registered.sujet and registered.secret

    # The habilitated person of the Velay information place.
    linf = browser.new_context(accept_downloads=True).new_page()
    login(linf, live_server, "/pro/connexion/", f"linf43@{DEMO_DOMAIN}")
    linf.goto(live_server.url + "/pro/demandes/")
    row = linf.get_by_role("row", name=re.compile(demande.reference))
    expect(row).to_contain_text("nouvelle")
    linf.screenshot(path=ARTIFACTS / "demande-3-liste-linf.png", full_page=True)
    row.get_by_role("button", name=f"Ouvrir {demande.reference}").click()
    expect(linf.get_by_text("Je reprends une formation en février.")).to_be_visible()
    expect(linf.get_by_text("En recherche d'emploi")).to_be_visible()
    linf.screenshot(path=ARTIFACTS / "demande-4-detail-linf.png", full_page=True)
    accuse = Notification.objects.get(destinataires="ines.chabrier@example.fr", sujet__contains="prise en charge")
    assert accuse.envoyee_le
    linf.goto(live_server.url + "/pro/demandes/")
    expect(linf.get_by_role("row", name=re.compile(demande.reference))).to_contain_text("traitée")
    select(linf, demande.reference)
    with linf.expect_download() as xml_download:
        linf.get_by_role("button", name="Exporter la sélection en XML").click()
    document = etree.parse(xml_download.value.path())
    schema().assertValid(document)
    assert demande.reference in etree.tostring(document, encoding="unicode")
    expect(linf.get_by_label(f"Sélectionner {demande.reference}")).to_be_checked()  # the selection stays
    with linf.expect_download() as pdf_download:
        linf.get_by_role("button", name="Exporter la sélection en PDF").click()
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")

    # The person of another LINF (Béarn) neither lists nor opens it.
    other = browser.new_context().new_page()
    login(other, live_server, "/pro/connexion/", f"linf64@{DEMO_DOMAIN}")
    other.goto(live_server.url + "/pro/demandes/")
    expect(other.get_by_text(demande.reference)).to_have_count(0)
    response = other.goto(live_server.url + f"/pro/demandes/{demande.reference}/")
    assert response.status == 404

    # Six months and a day later, the purge leaves only anonymous counts.
    report = purge_expired(now=timezone.now() + relativedelta(months=6, days=1))
    assert report.demandes == 1 and not Demande.objects.exists()
    counts = list(StatistiqueDemande.objects.values_list("commune_id", "besoin", "situation", "statut", "nombre"))
    assert counts == [("43157", "creche", "recherche", "traitee", 1)]
    linf.goto(live_server.url + "/pro/demandes/")
    expect(linf.get_by_text("Aucune demande pour l'instant.")).to_be_visible()
    linf.screenshot(path=ARTIFACTS / "demande-5-apres-purge.png", full_page=True)
