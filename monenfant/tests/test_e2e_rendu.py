"""The site as `make run` serves it, page by page, in Chromium: the design system applied (the body's
font is Marianne), French, and no serious or critical accessibility violation found by axe-core, on a
desktop and on a 360 px phone. Console errors and failed resources fail every browser test already
(conftest.BrowserWatch). Screenshots in test-artifacts/rendu/."""

import re

import pytest

from habilitations.demo import DEMO_DOMAIN
from habilitations.tests.test_e2e import ARTIFACTS, login
from structures.enums import Rubrique
from structures.models import Structure
from structures.tests.test_e2e import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = {"ordinateur": {"width": 1280, "height": 900}, "telephone": {"width": 360, "height": 740}}


def public_pages() -> list[str]:
    fiches = [f"/structures/{s.pk}/" for s in (Structure.objects.published().filter(rubrique=r).first()
                                                  for r in Rubrique.values) if s is not None]
    return ["/", "/recherche/?code_insee=43157", "/recherche/?code_insee=64445&rubrique=EAJE", *fiches,
            "/simulateur/", "/demande-information/", "/guide/", "/departements/43/", "/pro/connexion/",
            "/pro/habilitation/?departement=43", "/pro/mot-de-passe-oublie/"]


def check(page, base: str, path: str, name: str, *, design_system: bool = True):
    response = page.goto(base + path)
    assert response.status == 200, f"{path} : {response.status}"
    assert page.evaluate("document.documentElement.lang").startswith("fr"), path
    if design_system:
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Marianne" in font, f"{path} : police {font!r}, le DSFR n'est pas appliqué"
    assert_accessible(page)
    page.screenshot(path=ARTIFACTS / "rendu" / f"{name}.png")  # the first screen: what a person sees first


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"


def test_public_pages(browser, live_server, demo_site):
    (ARTIFACTS / "rendu").mkdir(parents=True, exist_ok=True)
    page = browser.new_context().new_page()
    for ecran, size in SCREENS.items():
        page.set_viewport_size(size)
        for path in public_pages():
            check(page, live_server.url, path, f"{ecran}-{slug(path)}")


def test_professional_pages_of_each_demo_role(browser, live_server, demo_site):
    (ARTIFACTS / "rendu").mkdir(parents=True, exist_ok=True)
    for role, paths in {"gestionnaire43": ["/pro/"], "assmat43": ["/pro/"],
                        "linf43": ["/pro/", "/pro/demandes/"]}.items():
        page = browser.new_context().new_page()
        login(page, live_server, "/pro/connexion/", f"{role}@{DEMO_DOMAIN}")
        fiches = page.locator("a[href^='/pro/structures/']")
        paths = [*paths, fiches.first.get_attribute("href")] if fiches.count() else paths
        for ecran, size in SCREENS.items():
            page.set_viewport_size(size)
            for path in paths:
                check(page, live_server.url, path, f"{ecran}-{role}-{slug(path)}")
        page.context.close()


BACK_OFFICE = [
    "/administration/", "/administration/structures/structure/", "/administration/structures/structure/add/",
    "/administration/structures/organisme/", "/administration/habilitations/user/",
    "/administration/habilitations/demandehabilitation/", "/administration/demandes/demande/",
    "/administration/demandes/besoinsoffre/", "/administration/structures/usagedusite/",
    "/administration/habilitations/controleconnexions/", "/administration/linf/objectifcouverture/",
    "/administration/guide/pageguide/",
]


def test_back_office_pages(browser, live_server, demo_site):
    (ARTIFACTS / "rendu").mkdir(parents=True, exist_ok=True)
    page = browser.new_context().new_page()
    login(page, live_server, "/administration/", f"cnaf@{DEMO_DOMAIN}")
    fiche = Structure.objects.filter(rubrique=Rubrique.EAJE).first()
    failures = []
    for ecran, size in SCREENS.items():
        page.set_viewport_size(size)
        for path in [*BACK_OFFICE, f"/administration/structures/structure/{fiche.pk}/change/"]:
            try:
                check(page, live_server.url, path, f"{ecran}-admin-{slug(path)}", design_system=False)
            except AssertionError as error:
                failures.append(f"{ecran} {path} : {error}")
    assert not failures, "\n".join(failures)
