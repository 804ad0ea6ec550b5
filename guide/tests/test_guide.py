"""The parents' guide: safe Markdown, drafts unseen, found by its words, edited by CNAF only."""

import lxml.html
import pytest

from guide.markdown import render
from guide.models import PageGuide
from guide.seed import PAGES

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    '<a href="#" onclick="alert(1)">clic</a>',
    "[clic](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_the_sanitiser_lets_no_script_nor_event_through(attack):
    tree = lxml.html.fragment_fromstring(render(f"Texte {attack} fin"), create_parent="div")
    assert not tree.xpath("//script | //img | //iframe"), "no active element, only text"
    assert not [a for el in tree.iter() for a in el.attrib if a.startswith("on")], "no event attribute"
    assert not [h for h in tree.xpath("//a/@href") if not h.startswith(("http", "/", "mailto:", "#"))]


def test_markdown_keeps_what_a_page_needs():
    html = render("## Titre\n\n- un **point** avec [un lien](/recherche/?rubrique=LAEP)\n")
    assert "<h2>Titre</h2>" in html and "<strong>point</strong>" in html
    assert '<a href="/recherche/?rubrique=LAEP" rel="noopener">un lien</a>' in html


def test_the_seeded_guide_is_published_with_sources_and_date(client):
    html = client.get("/guide/choisir-un-mode-d-accueil/").content.decode()
    assert "Micro-crèche" in html and "Voir les LAEP près de chez vous" in html and "Sources" in html and "Mis à jour le" in html
    assert PageGuide.objects.publiees().count() == len(PAGES)


def test_a_fiche_sends_to_the_guide_page_of_its_rubrique(client):
    response = client.get("/guide/rubrique/laep/")
    assert response.status_code == 302 and response["Location"] == "/guide/choisir-un-mode-d-accueil/"
    assert client.get("/guide/rubrique/XYZ/").status_code == 404


def test_a_draft_is_not_public(client):
    PageGuide.objects.create(titre="Brouillon secret", slug="brouillon", chapo="c", corps="rien", sources="s")
    assert client.get("/guide/brouillon/").status_code == 404
    assert "Brouillon secret" not in client.get("/guide/", {"q": "brouillon secret"}).content.decode()


def test_search_finds_pages_by_their_words(client):
    # French stemming on PostgreSQL, plain words on SpatiaLite: both find these.
    assert [p.slug for p in PageGuide.objects.publiees().recherche("congé de paternité")] == ["devenir-parent"]
    assert "les-aides-et-le-cout" in [p.slug for p in PageGuide.objects.publiees().recherche("crédit d'impôt")]
    html = client.get("/guide/", {"q": "médiation familiale"}).content.decode()
    assert "Élever son enfant" in html
    assert "Aucune page ne contient ces mots" in client.get("/guide/", {"q": "zzzzqqq"}).content.decode()


def test_an_unknown_rubrique_is_a_404_without_a_query(client):
    # A code of 60,000 letters was a LIKE pattern SQLite refuses as too complex: a 500.
    assert client.get(f"/guide/rubrique/{'X' * 60_000}/").status_code == 404
    assert client.get("/guide/rubrique/eaje/").status_code == 302


def test_a_search_holding_a_nul_finds_the_pages_of_its_words(client):
    # PostgreSQL refuses a NUL in a query: it was a 500 there.
    response = client.get("/guide/", {"q": "paternité\x00"})
    assert response.status_code == 200
    assert "/guide/devenir-parent/" in response.content.decode()
