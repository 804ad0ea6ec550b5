"""In a real browser: a CNAF administrator sees the national coverage and opens a département's map."""

import re

import pytest
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.test_e2e import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_cnaf_sees_national_coverage_and_opens_a_departement(page, live_server, demo_site):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, "/administration/", f"cnaf@{DEMO_DOMAIN}")
    page.goto(live_server.url + "/administration/linf/objectifcouverture/")
    table = page.locator("#couverture")
    expect(table.locator("tfoot")).to_contain_text("France")
    expect(table.get_by_role("row", name=re.compile("^43 — Haute-Loire"))).to_be_visible()
    page.locator("#carte-departement").select_option("64")
    expect(page.locator("#carte-couverture")).to_have_attribute("data-communes", re.compile(r"^[1-9]\d*$"))
    expect(page.locator("#carte-couverture path.leaflet-interactive").first).to_be_attached()
    page.screenshot(path=ARTIFACTS / "couverture-cnaf.png", full_page=True)
