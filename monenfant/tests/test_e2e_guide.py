"""In a real browser: a CNAF editor publishes a guide page, and a parent finds it by searching. Here rather
than in guide/tests: it logs in people of the habilitations app, which guide does not know."""

import pytest
from playwright.sync_api import expect

from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.test_e2e import ARTIFACTS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_cnaf_editor_publishes_a_page_and_a_parent_finds_it(browser, live_server, demo_directory):
    ARTIFACTS.mkdir(exist_ok=True)
    editor = browser.new_context().new_page()
    login(editor, live_server, "/administration/", f"cnaf@{DEMO_DOMAIN}")
    editor.goto(live_server.url + "/administration/guide/pageguide/add/")
    editor.locator("#id_titre").fill("Faire garder son enfant malade")
    editor.locator("#id_chapo").fill("Fièvre, varicelle : ce que prévoient la crèche et l'assistant maternel.")
    editor.locator("#id_corps").fill("## Les évictions\n\nCertaines maladies contagieuses imposent une éviction temporaire."
                                     "\n\n<script>alert('x')</script>")
    expect(editor.locator("#id_slug")).to_have_value("faire-garder-son-enfant-malade")  # made from the title
    editor.locator("#id_sources").fill("- Santé publique France : <https://www.santepubliquefrance.fr>")
    editor.locator("#id_statut").select_option("publiee")
    editor.screenshot(path=ARTIFACTS / "guide-1-redaction.png", full_page=True)
    editor.locator("input[name=_save]").click()
    expect(editor.locator(".messagelist")).to_contain_text("a été ajouté")

    parent = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    parent.goto(live_server.url + "/")
    parent.get_by_role("button", name="Menu").click()
    parent.get_by_role("link", name="Guide des parents").first.click()
    parent.get_by_label("Chercher dans le guide").fill("éviction varicelle")
    parent.get_by_role("button", name="Chercher").click()
    expect(parent.get_by_role("heading", name="1 page pour « éviction varicelle »")).to_be_visible()
    parent.get_by_role("status").get_by_role("link", name="Faire garder son enfant malade").click()
    expect(parent.get_by_role("heading", level=2, name="Les évictions")).to_be_visible()
    expect(parent.locator("article")).to_contain_text("<script>alert('x')</script>")  # shown as text, never run
    expect(parent.locator("article script")).to_have_count(0)
    parent.screenshot(path=ARTIFACTS / "guide-2-page-telephone.png", full_page=True)


def test_a_parent_reaches_the_legal_pages_from_the_footer(page, live_server):
    """From any page's footer, on a phone: each legal page and the site map, with no serious axe-core violation."""
    from structures.tests.test_e2e import assert_accessible

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/simulateur/")
    for link, heading in [("Accessibilité : partiellement conforme", "Déclaration d'accessibilité"),
                          ("Mentions légales", "Mentions légales"), ("Données personnelles", "Données personnelles"),
                          ("Plan du site", "Plan du site")]:
        page.locator("footer").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert_accessible(page)
    expect(page.locator("main").get_by_role("link", name="Déclaration d'accessibilité")).to_be_visible()
    page.locator("main").get_by_role("link", name="Mentions légales").click()
    expect(page.locator("mark.mf-a-completer").first).to_contain_text("[à compléter par l'éditeur :")
    page.screenshot(path=ARTIFACTS / "pages-legales-telephone.png", full_page=True)
