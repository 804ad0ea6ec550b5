"""Mentions légales, données personnelles, accessibilité and the site map: seeded, in French, in the
site's layout, linked from every page's footer, and edited by CNAF editors only."""

import lxml.html
import pytest

from guide.models import InformationsEditeur, PageLegale, TypePageLegale
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from structures.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/accessibilite/": "Déclaration d'accessibilité",
    "/plan-du-site/": "Plan du site",
}
FOOTER = {
    "/plan-du-site/": "Plan du site",
    "/accessibilite/": "Accessibilité : partiellement conforme",
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/donnees/": "Données ouvertes",
    "/api/": "API",
}


def tree(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def footer_links(page) -> dict[str, str]:
    return {a.get("href"): a.text_content().strip() for a in page.xpath("//footer//a[contains(@class, 'fr-footer__bottom-link')]")}


@pytest.mark.parametrize("url", PAGES)
def test_each_page_answers_in_french_in_the_site_layout(client, url):
    page = tree(client.get(url))
    assert page.xpath("/html/@lang") == ["fr"]
    assert page.xpath("normalize-space(//main//h1)") == PAGES[url]
    assert PAGES[url] in page.findtext(".//title")
    assert page.xpath("//header[contains(@class, 'fr-header')]") and footer_links(page) == FOOTER


@pytest.mark.parametrize("url", ["/", "/recherche/", "/simulateur/", "/guide/", "/demande-information/", "/pro/connexion/"])
def test_the_footer_of_every_page_links_to_them(client, url):
    assert footer_links(tree(client.get(url))) == FOOTER


def test_the_texts_say_what_is_kept_how_long_and_the_recourses(client):
    donnees = client.get("/donnees-personnelles/").content.decode()
    for fact in ("6 mois", "Ne plus utiliser cette adresse", "90 jours", "CNIL", "3 place de Fontenoy", "rectifier"):
        assert fact in donnees, fact
    accessibilite = client.get("/accessibilite/").content.decode()
    for fact in ("partiellement conforme", "RGAA version 4.1", "axe-core", "Défenseur des droits", "09 69 39 00 00",
                 "/administration/", "La carte"):
        assert fact in accessibilite, fact


def test_the_publishers_facts_show_as_marked_placeholders_until_filled_in(client):
    page = tree(client.get("/mentions-legales/"))
    marks = [m.text_content() for m in page.xpath("//main//mark[contains(@class, 'mf-a-completer')]")]
    assert "[à compléter par l'éditeur : nom, adresse et téléphone de l'hébergeur]" in marks
    assert any("directeur ou de la directrice de la publication" in m for m in marks)
    editeur = InformationsEditeur.courantes()
    editeur.hebergeur = "Hébergeur <Exemple> SAS\n1 rue de l'Exemple, 75000 Paris"
    editeur.save()
    html = client.get("/mentions-legales/").content.decode()
    assert "Hébergeur &lt;Exemple&gt; SAS<br>1 rue de l&#x27;Exemple" in html, "escaped, one line per line"
    assert "nom, adresse et téléphone de l'hébergeur" not in html
    assert "hébergeur" not in editeur.a_completer()


def test_only_cnaf_editors_change_a_legal_page_and_each_change_is_kept(client):
    page = PageLegale.objects.get(type=TypePageLegale.MENTIONS_LEGALES)
    url = f"/administration/guide/pagelegale/{page.pk}/change/"
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    assert client.get(url).status_code == 200  # read only
    assert client.post(url, {"titre": "Piraté", "chapo": "", "corps": "x"}).status_code == 403
    assert client.get("/administration/guide/pagelegale/add/").status_code == 403
    cnaf = make_person(Role.CNAF_ADMIN)
    client.force_login(cnaf)
    index = client.get("/administration/").content.decode()
    assert "Pages légales" in index and "Informations de l&#x27;éditeur" in index
    assert client.get("/administration/guide/pagelegale/add/").status_code == 403, "three pages, at fixed addresses"
    assert client.get(f"/administration/guide/pagelegale/{page.pk}/delete/").status_code == 403
    data = {"titre": "Mentions légales", "chapo": page.chapo, "corps": page.corps + "\n\nLe site a changé d'hébergeur."}
    assert client.post(url, data).status_code == 302
    assert "Le site a changé d'hébergeur." in client.get("/mentions-legales/").content.decode()
    change = page.history.latest()
    assert change.history_user == cnaf and "Le site a changé" in change.corps

    editeur = InformationsEditeur.courantes()
    url = f"/administration/guide/informationsediteur/{editeur.pk}/change/"
    data = {"editeur": "Caisse nationale des allocations familiales", "directeur_publication": "X",
            "hebergeur": "H", "contact_dpo": "dpo@example.fr", "contact_accessibilite": "a11y@example.fr"}
    assert client.post(url, data).status_code == 302
    html = client.get("/donnees-personnelles/").content.decode()
    assert "dpo@example.fr" in html and "Caisse nationale des allocations familiales" in html


def test_a_draft_text_cannot_smuggle_html(client):
    page = PageLegale.objects.get(type=TypePageLegale.ACCESSIBILITE)
    page.corps = "<script>alert(1)</script> [clic](javascript:alert(1)) {contact_accessibilite}"
    page.save()
    body = tree(client.get("/accessibilite/")).xpath("//main")[0]
    assert not body.xpath(".//script") and not [h for h in body.xpath(".//a/@href") if h.startswith("javascript")]


def test_the_site_map_lists_the_public_pages(client):
    CommuneFactory(code_insee="43157")
    page = tree(client.get("/plan-du-site/"))
    links = {a.get("href") for a in page.xpath("//main//a")}
    assert {"/", "/recherche/", "/simulateur/", "/demande-information/", "/guide/", "/guide/devenir-parent/",
            "/departements/43/", "/pro/connexion/", "/pro/habilitation/", "/mentions-legales/",
            "/donnees-personnelles/", "/accessibilite/", "/plan-du-site/"} <= links
    for href in links:
        assert client.get(href).status_code == 200, href
