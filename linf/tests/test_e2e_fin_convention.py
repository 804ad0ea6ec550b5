"""In a real browser: a CAF agent records a notice; on the end date (time travel) the guichet closes and a
family of Le Puy is told that nobody answers online for its commune."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.models import User
from habilitations.tests.test_e2e import ARTIFACTS, login
from linf.conventions import apply_ends
from linf.models import Guichet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def family_asks_from_le_puy(browser, live_server):
    family = browser.new_context(**PHONE).new_page()
    family.goto(live_server.url + "/demande-information/")
    family.get_by_label("Votre commune").fill("Le Puy")
    family.get_by_role("option", name=re.compile("Le Puy-en-Velay")).click()
    family.get_by_role("button", name="Continuer").click()
    return family


def test_a_notice_closes_the_guichet_on_its_end_date_and_families_are_told_nobody_serves(browser, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    today = timezone.localdate()
    fin = today + relativedelta(years=1)  # signed today by the demo; notice today: the first anniversary

    agent = browser.new_context().new_page()
    login(agent, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
    agent.goto(live_server.url + "/administration/habilitations/demandehabilitation/?statut__exact=validee")
    agent.locator("#result_list tbody tr th a").first.click()
    expect(agent.get_by_role("heading", name="Vie de la convention")).to_be_visible()
    agent.get_by_label("Préavis donné par").select_option(label="l'organisme")
    agent.get_by_label("Motif (facultatif, envoyé à l'organisme)").fill("Le relais cesse son activité.")
    agent.get_by_role("button", name="Enregistrer le préavis").click()
    expect(agent.locator(".messagelist")).to_contain_text(f"la convention prend fin le {fin:%d/%m/%Y}")
    expect(agent.locator("#fin-convention")).to_contain_text("Ce jour-là, le guichet ferme")
    agent.screenshot(path=ARTIFACTS / "convention-preavis.png", full_page=True)

    # The eve of the end date: the daily task runs, nothing changes for families.
    with time_machine.travel(datetime.datetime.combine(fin - datetime.timedelta(days=1), datetime.time(12), PARIS)):
        apply_ends()
        assert Guichet.objects.filter(ouvert=True, structure__commune__departement="43").exists()
        family = family_asks_from_le_puy(browser, live_server)
        # The form goes on to its second step: who is asking.
        expect(family.locator("label", has_text=re.compile("^Parent$"))).to_be_visible()
        expect(family.get_by_text("Aucun lieu d'information ne reçoit encore")).to_have_count(0)

    # The end date: the task closes the guichet and withdraws the access of the habilitated person.
    with time_machine.travel(datetime.datetime.combine(fin, datetime.time(0, 5), PARIS)):
        assert apply_ends()["conventions"] == 1
        assert not Guichet.objects.filter(ouvert=True, structure__commune__departement="43").exists()
        assert not User.objects.get(email=f"linf43@{DEMO_DOMAIN}").is_active
        family = family_asks_from_le_puy(browser, live_server)
        expect(family.get_by_text("Aucun lieu d'information ne reçoit encore les demandes en ligne pour votre commune")).to_be_visible()
        family.screenshot(path=ARTIFACTS / "convention-terminee-famille.png", full_page=True)

        agent = browser.new_context().new_page()
        login(agent, live_server, "/administration/", f"agent.caf43@{DEMO_DOMAIN}")
        agent.goto(live_server.url + "/administration/habilitations/demandehabilitation/?statut__exact=terminee")
        agent.locator("#result_list tbody tr th a").first.click()
        expect(agent.locator("#vie-convention + p + p")).to_contain_text(f"Convention terminée le {fin.day}")
        agent.screenshot(path=ARTIFACTS / "convention-terminee-caf.png", full_page=True)
