"""The guide from pregnancy to adulthood (issue 21 §4): each page with its sources and the day an editor last
reviewed it (« Mis à jour le … »), set by hand in the back office; seeding twice changes nothing.

Dates are computed from today or read from the seed: none is written here. The editor is a Django superuser
(what the back office lets edit the guide), so that these tests need no other app's people."""

import importlib
import re
from datetime import timedelta

import lxml.html
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from guide.models import REVUE_FUTURE, REVUE_OBLIGATOIRE, PageGuide, PageLegale, Statut, TypePageLegale
from guide.seed import PAGES, seed_pages
from guide.seed_pages_legales import REVUE_PAGES_LEGALES, seed_pages_legales
from monenfant.francais import date_longue

pytestmark = pytest.mark.django_db

MIGRATION_REVUE = importlib.import_module("guide.migrations.0008_revue_le")
MIGRATION_PAGES = importlib.import_module("guide.migrations.0009_pages_jusqu_a_la_majorite")
SEED = {page["slug"]: page for page in PAGES}


def tree(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def form_date(day) -> str:
    return day.strftime("%d/%m/%Y")  # as an editor types it in the French back office


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser(email="redaction@example.fr", password=None))
    return client


def change_data(page: PageGuide, **changes) -> dict:
    data = {"titre": page.titre, "slug": page.slug, "chapo": page.chapo, "corps": page.corps, "sources": page.sources,
            "rubriques": page.rubriques, "ordre": page.ordre, "statut": page.statut}
    if page.revue_le:
        data["revue_le"] = form_date(page.revue_le)
    return {**data, **changes}


@pytest.mark.parametrize("slug", MIGRATION_PAGES.NEW_PAGES)
def test_each_new_page_answers_with_its_sources_and_review_date(client, slug):
    page = tree(client.get(f"/guide/{slug}/"))
    main = page.xpath("//main")[0]
    assert text(main.xpath(".//h1")[0]) == SEED[slug]["titre"]
    sources = main.xpath(".//h2[normalize-space()='Sources']/following-sibling::div[1]//a/@href")
    assert sources == re.findall(r"<(https://[^>]+)>", SEED[slug]["sources"]) and len(sources) >= 4
    reviewed = SEED[slug]["revue_le"]
    assert f"Mis à jour le {date_longue(reviewed)}." in text(main)
    assert main.xpath(".//time/@datetime") == [reviewed.isoformat()]


@pytest.mark.parametrize("slug", SEED)
def test_every_page_keeps_its_headings_in_order_and_names_its_links(client, slug):
    main = tree(client.get(f"/guide/{slug}/")).xpath("//main")[0]
    levels = [int(h.tag[1]) for h in main.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), f"un niveau de titre sauté : {levels}"
    for link in main.xpath(".//article//a"):
        assert len(text(link)) > 3 and text(link).lower() not in {"ici", "cliquez ici", "lien"}, link.get("href")


@pytest.mark.parametrize("slug", MIGRATION_PAGES.NEW_PAGES)
def test_the_links_of_the_new_pages_lead_somewhere(client, slug):
    article = tree(client.get(f"/guide/{slug}/")).xpath("//main//article")[0]
    for href in {h for h in article.xpath(".//div[contains(@class, 'mf-guide')]//a/@href") if h.startswith("/")}:
        assert client.get(href).status_code == 200, href


def test_the_index_and_the_site_map_link_every_page_by_its_title(client):
    for url in ("/guide/", "/plan-du-site/"):
        links = {text(a): a.get("href") for a in tree(client.get(url)).xpath("//main//a")}
        for slug, page in SEED.items():
            assert links.get(page["titre"]) == f"/guide/{slug}/", (url, slug)
    assert "à la majorité" in text(tree(client.get("/guide/")).xpath("//main//p[contains(@class, 'fr-text--lead')]")[0])


def test_the_editor_sets_the_review_date_and_the_page_shows_it(editor):
    page = PageGuide.objects.get(slug="l-adolescence")
    url = f"/administration/guide/pageguide/{page.pk}/change/"
    form = tree(editor.get(url))
    assert form.xpath("//input[@name='revue_le']/@value") == [form_date(page.revue_le)]

    reviewed = timezone.localdate() - timedelta(days=3)
    assert editor.post(url, change_data(page, revue_le=form_date(reviewed))).status_code == 302
    assert PageGuide.objects.get(pk=page.pk).revue_le == reviewed
    assert f"Mis à jour le {date_longue(reviewed)}." in text(tree(editor.get("/guide/l-adolescence/")).xpath("//main")[0])
    assert page.history.latest().revue_le == reviewed

    # A typo fixed, the date left alone: the page keeps its review date, whatever the form sends.
    data = change_data(PageGuide.objects.get(pk=page.pk), chapo=page.chapo + " ")
    assert editor.post(url, data).status_code == 302
    del data["revue_le"]
    assert editor.post(url, data).status_code == 302
    assert PageGuide.objects.get(pk=page.pk).revue_le == reviewed


def test_a_published_page_needs_a_review_date_that_is_not_in_the_future(editor):
    page = PageGuide.objects.get(slug="etre-parent-se-faire-aider")
    url = f"/administration/guide/pageguide/{page.pk}/change/"
    for value, message in [("", REVUE_OBLIGATOIRE), (form_date(timezone.localdate() + timedelta(days=1)), REVUE_FUTURE)]:
        response = editor.post(url, change_data(page, revue_le=value))
        assert response.status_code == 200 and message in response.content.decode()
    assert PageGuide.objects.get(pk=page.pk).revue_le == page.revue_le
    # A draft may wait for its review; the database refuses a published page without one, whatever the code.
    assert editor.post(url, change_data(page, revue_le="", statut=Statut.BROUILLON)).status_code == 302
    with transaction.atomic(), pytest.raises(IntegrityError):
        PageGuide.objects.filter(pk=page.pk).update(statut=Statut.PUBLIEE)


def test_a_new_page_is_offered_today_as_its_review_date(editor):
    form = tree(editor.get("/administration/guide/pageguide/add/"))
    assert form.xpath("//input[@name='revue_le']/@value") == [form_date(timezone.localdate())]


def test_the_editor_sets_the_review_date_of_a_legal_page(editor):
    page = PageLegale.objects.get(type=TypePageLegale.MENTIONS_LEGALES)
    assert f"Mis à jour le {date_longue(REVUE_PAGES_LEGALES)}." in text(tree(editor.get("/mentions-legales/")).xpath("//main")[0])
    reviewed = timezone.localdate() - timedelta(days=1)
    url = f"/administration/guide/pagelegale/{page.pk}/change/"
    data = {"titre": page.titre, "chapo": page.chapo, "corps": page.corps, "revue_le": form_date(reviewed)}
    assert editor.post(url, data).status_code == 302
    assert f"Mis à jour le {date_longue(reviewed)}." in text(tree(editor.get("/mentions-legales/")).xpath("//main")[0])
    response = editor.post(url, {**data, "revue_le": ""})
    assert response.status_code == 200 and REVUE_OBLIGATOIRE in response.content.decode()


def snapshot():
    return ([(p.slug, p.titre, p.corps, p.sources, p.statut, p.revue_le, p.mis_a_jour_le) for p in PageGuide.objects.order_by("slug")],
            [(p.type, p.corps, p.revue_le, p.mis_a_jour_le) for p in PageLegale.objects.order_by("type")])


def test_seeding_twice_changes_nothing_and_keeps_the_editors_text():
    page = PageGuide.objects.get(slug="enfants-de-6-a-11-ans")
    page.corps += "\n\nUn ajout de la rédaction."
    page.revue_le = timezone.localdate()
    page.save()
    before = snapshot()
    assert len(before[0]) == len(PAGES) and len(before[1]) == len(TypePageLegale.values)
    for _ in range(2):
        seed_pages(apps)
        seed_pages_legales(apps)
        importlib.import_module("guide.migrations.0002_pages").seed(apps, None)
        importlib.import_module("guide.migrations.0004_seed_pages_legales").seed(apps, None)
        MIGRATION_REVUE.fill_review_dates(apps, None)
        MIGRATION_PAGES.update(apps, None)
    assert snapshot() == before


def test_existing_pages_get_a_review_date_from_their_last_change_unless_their_seeded_text_is_untouched():
    last_change = timezone.now() - timedelta(days=40)
    untouched = PageGuide.objects.get(slug="elever-son-enfant")
    edited = PageGuide.objects.get(slug="parents-en-recherche-d-emploi")
    own = PageGuide.objects.create(titre="Une page de la rédaction", slug="redaction", chapo="c", corps="rien", sources="s")
    PageGuide.objects.filter(pk=untouched.pk).update(statut=Statut.BROUILLON, revue_le=None, mis_a_jour_le=last_change)
    PageGuide.objects.filter(pk=edited.pk).update(statut=Statut.BROUILLON, revue_le=None, mis_a_jour_le=last_change,
                                                  corps=edited.corps + "\nAjout.")
    PageGuide.objects.filter(pk=own.pk).update(mis_a_jour_le=last_change)
    MIGRATION_REVUE.fill_review_dates(apps, None)
    assert PageGuide.objects.get(pk=untouched.pk).revue_le == SEED["elever-son-enfant"]["revue_le"]
    assert PageGuide.objects.get(pk=edited.pk).revue_le == timezone.localdate(last_change)
    assert PageGuide.objects.get(pk=own.pk).revue_le == timezone.localdate(last_change)


def test_two_seeded_pages_are_brought_up_to_date_only_where_their_text_is_still_the_seeded_one():
    (old_leave, new_leave), (old_cmg, new_cmg) = MIGRATION_PAGES.CHANGES.values()
    devenir = PageGuide.objects.get(slug="devenir-parent")
    aides = PageGuide.objects.get(slug="les-aides-et-le-cout")
    earlier = timezone.localdate() - timedelta(days=30)
    PageGuide.objects.filter(pk=devenir.pk).update(corps=devenir.corps.replace(new_leave, old_leave), revue_le=earlier)
    PageGuide.objects.filter(pk=aides.pk).update(corps="Le texte de la rédaction.", revue_le=earlier)
    MIGRATION_PAGES.update(apps, None)
    devenir = PageGuide.objects.get(pk=devenir.pk)
    assert devenir.corps == SEED["devenir-parent"]["corps"] and devenir.revue_le == SEED["devenir-parent"]["revue_le"]
    assert "Congé supplémentaire de naissance" in devenir.corps
    aides = PageGuide.objects.get(pk=aides.pk)
    assert aides.corps == "Le texte de la rédaction." and aides.revue_le == earlier
    assert new_cmg in SEED["les-aides-et-le-cout"]["corps"] and "moins de 12 ans" in new_cmg
