"""The information service as the LINF guide and the convention write it, in a real browser: exporting
retrieves, an avenant takes effect on its signed return, and no demande is stranded when a convention ends."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from demandes import services
from demandes.models import Demande
from demandes.tests.test_e2e import select
from habilitations.demo import DEMO_DOMAIN, DEMO_PASSWORD
from habilitations.enums import Role, StatutHabilitation
from habilitations.models import User
from habilitations.tests.factories import make_person
from habilitations.tests.test_e2e import ARTIFACTS, login
from habilitations.workflow import DemandeHabilitation
from linf.models import Guichet
from notifications.models import Notification
from structures.enums import Rubrique
from structures.models import Commune
from structures.tests.factories import StructureFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _le_puy_demandes(n: int, nom: str = "Famille") -> list[Demande]:
    born = timezone.localdate() - relativedelta(months=10)
    return [services.create_demande_information(
        commune=Commune.objects.get(code_insee="43157"), enfants=[{"date_naissance": born}], qualite="parent",
        besoin="creche", a_partir_du=timezone.localdate() + relativedelta(months=3), prenom="Léa",
        nom=f"{nom} {i}", email=f"{nom.lower()}{i}@example.fr",
    ) for i in range(n)]


def test_a_linf_exports_three_new_demandes_as_xml_and_they_are_traitees_with_three_accuses(browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    demandes = _le_puy_demandes(3, "Export")
    linf = browser.new_context(accept_downloads=True).new_page()
    login(linf, live_server, "/pro/connexion/", f"linf43@{DEMO_DOMAIN}")
    linf.goto(live_server.url + "/pro/demandes/")
    for demande in demandes:
        expect(linf.get_by_role("row", name=re.compile(demande.reference))).to_contain_text("nouvelle")
        select(linf, demande.reference)
    with linf.expect_download():
        linf.get_by_role("button", name="Exporter la sélection en XML").click()
    linf.goto(live_server.url + "/pro/demandes/")
    for demande in demandes:
        expect(linf.get_by_role("row", name=re.compile(demande.reference))).to_contain_text("traitée")
    linf.screenshot(path=ARTIFACTS / "service-export-traitees.png", full_page=True)
    assert set(Demande.objects.filter(statut="traitee").values_list("reference", flat=True)) == {d.reference for d in demandes}
    accuses = Notification.objects.filter(sujet__contains="est prise en charge")
    assert sorted(accuses.values_list("destinataires", flat=True)) == ["export0@example.fr", "export1@example.fr",
                                                                      "export2@example.fr"]


def test_an_avenant_adds_a_person_who_can_log_in_only_after_the_signed_avenant_comes_back(browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    habilitation = DemandeHabilitation.objects.get(statut=StatutHabilitation.VALIDEE, caf__departement="43")
    agent = browser.new_context().new_page()
    login(agent, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
    agent.goto(live_server.url + f"/administration/habilitations/demandehabilitation/{habilitation.pk}/change/")
    agent.get_by_role("link", name="Ajouter ou retirer des personnes (avenant)").click()
    agent.locator("#id_ajouts-0-prenom").fill("Inès")
    agent.locator("#id_ajouts-0-nom").fill("Mercier")
    agent.locator("#id_ajouts-0-email").fill("ines.mercier@example.fr")
    agent.locator("#id_ajouts-0-fonction").fill("Éducatrice de jeunes enfants")
    agent.get_by_role("button", name="Générer et envoyer l'avenant").click()
    expect(agent.locator(".messagelist")).to_contain_text("quand vous enregistrerez le retour de l'avenant signé")
    expect(agent.locator("#avenants + table")).to_contain_text("envoyé, en attente du retour signé")
    agent.screenshot(path=ARTIFACTS / "service-avenant-envoye.png", full_page=True)

    # Before the signed avenant: no account, no link; the login page refuses her.
    assert not User.objects.filter(email="ines.mercier@example.fr").exists()
    assert not Notification.objects.filter(destinataires="ines.mercier@example.fr").exists()
    ines = browser.new_context().new_page()
    ines.goto(live_server.url + "/pro/connexion/")
    ines.get_by_label("Adresse électronique").fill("ines.mercier@example.fr")
    ines.locator("#id_password").fill(DEMO_PASSWORD)
    ines.locator("#id_password").press("Enter")
    expect(ines.locator(".fr-alert--error, .fr-error-text").first).to_be_visible()

    agent.get_by_role("button", name="Avenant n° 1 signé reçu").click()
    expect(agent.locator(".messagelist")).to_contain_text("il prend effet")
    expect(agent.locator("#avenants + table")).to_contain_text("signé reçu")
    agent.screenshot(path=ARTIFACTS / "service-avenant-signe.png", full_page=True)

    [activation] = [m for m in mail.outbox if m.to == ["ines.mercier@example.fr"]]
    lien = re.search(r"https?://\S+/pro/\S+", activation.body).group(0)
    ines.goto(live_server.url + lien[lien.index("/pro/"):])
    ines.locator("#id_new_password1").fill(DEMO_PASSWORD)
    ines.locator("#id_new_password2").fill(DEMO_PASSWORD)
    ines.get_by_role("button", name="Enregistrer").click()
    login(ines, live_server, "/pro/connexion/", "ines.mercier@example.fr")
    ines.goto(live_server.url + "/pro/demandes/")
    expect(ines.get_by_role("heading", level=1)).to_be_visible()
    assert User.objects.get(email="ines.mercier@example.fr").has_role(Role.LINF)


def test_a_convention_ends_and_its_unopened_demandes_move_or_their_families_are_told(browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    from linf.models import ContratCafCnaf

    velay = DemandeHabilitation.objects.get(statut=StatutHabilitation.VALIDEE, caf__departement="43")
    premiere, seconde = _le_puy_demandes(2, "Transfert")  # only the Velay's place answers for Le Puy
    le_puy = Commune.objects.get(code_insee="43157")
    autre = StructureFactory(nom="Point info familles de l'agglomération", rubrique=Rubrique.LINF, commune=le_puy)
    autre.communes_desservies.set([le_puy])
    Guichet.objects.create(structure=autre, ouvert=True)
    paul = make_person(Role.LINF, structure=autre, email="paul@agglo.example.fr")

    # The convention ends (the organisme's notice, its end date come): the daily task.
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent.suivi@caf43.example.fr")
    from habilitations import conventions
    conventions.record_notice(demande=velay, par=agent, le=timezone.localdate(), partie="organisme")
    velay.refresh_from_db()
    with time_machine.travel(datetime.datetime.combine(velay.fin_le, datetime.time(0, 5), PARIS)):
        call_command("fin_des_conventions", stdout=io.StringIO())
        for demande in (premiere, seconde):
            demande.refresh_from_db()
            assert list(demande.linfs.all()) == [autre] and demande.reorientee_le
        assert Notification.objects.filter(destinataires=paul.email, sujet__contains="nouvelle demande").count() == 2

        # Without another place: the contract of the département ends, every family is told.
        troisieme, = _le_puy_demandes(1, "Seule")
        ContratCafCnaf.objects.filter(departement="43").update(fin_le=timezone.localdate())
        call_command("fin_des_conventions", stdout=io.StringIO())
        for demande in (premiere, seconde, troisieme):
            demande.refresh_from_db()
            assert demande.famille_prevenue_le
        email = Notification.objects.get(destinataires="seule0@example.fr", sujet__contains="ne pourra pas être lue")
        assert "Vous pouvez vous adresser directement à" in email.corps

        page = browser.new_context().new_page()
        login(page, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
        page.goto(live_server.url + "/administration/demandes/demande/?sans_lieu=transmise")
        for demande in (premiere, seconde):
            expect(page.get_by_role("row", name=re.compile(demande.reference))).to_contain_text("transmise le")
        page.goto(live_server.url + "/administration/demandes/demande/?sans_lieu=prevenue")
        expect(page.get_by_role("row", name=re.compile(troisieme.reference))).to_contain_text("famille prévenue le")
        page.screenshot(path=ARTIFACTS / "service-familles-prevenues.png", full_page=True)
