"""The site as `make run` serves it, page by page, in Chromium: the design system applied (the body's
font is Marianne), French, and no serious or critical accessibility violation found by axe-core, on a
desktop and on a 360 px phone. Console errors and failed resources fail every browser test already
(conftest.BrowserWatch). Screenshots in test-artifacts/rendu/.

Every page is loaded once and audited at both sizes by resizing the window (media queries apply at
once): half the loads. Each test gathers all its failures and lists them at the end."""

import datetime
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from demandes.models import Demande
from demandes.tests.test_demande import STEPS
from familles.models import Alerte
from habilitations import services
from habilitations.demo import DEMO_DOMAIN
from habilitations.models import DemandeHabilitation, User
from habilitations.tests.fixtures import submit
from habilitations.tests.test_e2e import ARTIFACTS, login
from structures.enums import Rubrique
from structures.models import Structure
from structures.tests.test_e2e import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = {"ordinateur": {"width": 1280, "height": 900}, "telephone": {"width": 360, "height": 740}}
DESKTOP, PHONE = SCREENS["ordinateur"], SCREENS["telephone"]


def public_pages() -> list[str]:
    fiches = [f"/structures/{s.pk}/" for s in (Structure.objects.published().filter(rubrique=r).first()
                                                  for r in Rubrique.values) if s is not None]
    return ["/", "/recherche/?code_insee=43157", "/recherche/?code_insee=64445&rubrique=EAJE", *fiches,
            "/simulateur/", "/demande-information/", "/guide/", "/departements/43/", "/pro/connexion/",
            "/pro/habilitation/?departement=43", "/pro/mot-de-passe-oublie/", "/donnees/", "/api/"]


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"


class Audit:
    """Audits the page shown, at both sizes, and gathers what fails. Screenshots of the first screen
    (what a person sees first): on the desktop for every page, on the phone for the pages in `phone_shots`."""

    def __init__(self, phone_shots=()):
        (ARTIFACTS / "rendu").mkdir(parents=True, exist_ok=True)
        self.failures: list[str] = []
        self.phone_shots = set(phone_shots)
        self.count = 0

    def shown(self, page, name: str, *, design_system: bool = True):
        """The page as it is now (reached by a click, a form sent…), then the same at 360 px."""
        self.count += 1
        try:
            assert page.evaluate("document.documentElement.lang").startswith("fr"), "langue"
            if design_system:
                font = page.evaluate("getComputedStyle(document.body).fontFamily")
                assert "Marianne" in font, f"police {font!r}, le DSFR n'est pas appliqué"
            # What a screen reader reads after a field's name: every id named must exist (axe only
            # checks that one of them does).
            absents = page.evaluate("""() => [...document.querySelectorAll('[aria-describedby],[aria-labelledby]')]
                .flatMap(el => ['aria-describedby', 'aria-labelledby'].flatMap(a => (el.getAttribute(a) || '')
                .split(/\\s+/).filter(id => id && !document.getElementById(id)).map(id => `${a}=${id}`)))""")
            assert not absents, f"id absents de la page : {absents}"
        except AssertionError as error:
            self.failures.append(f"{name} : {error}")
        for ecran, size in SCREENS.items():
            page.set_viewport_size(size)
            try:
                assert_accessible(page)
            except AssertionError as error:
                self.failures.append(f"{ecran} {name} ({page.url}) :\n  {error}".replace("\n", "\n  "))
            if ecran == "ordinateur" or name in self.phone_shots:
                page.screenshot(path=ARTIFACTS / "rendu" / f"{ecran}-{name}.png")
        page.set_viewport_size(DESKTOP)

    def visit(self, page, base: str, path: str, name: str = "", *, status: int = 200, design_system: bool = True):
        response = page.goto(base + path)
        name = name or slug(path)
        if response.status != status:
            self.failures.append(f"{path} : {response.status} au lieu de {status}")
            return
        self.shown(page, name, design_system=design_system)

    def __call__(self, page, name):  # login()'s `seen`: the second factor's pages
        self.shown(page, name)

    def assert_none(self):
        assert not self.failures, f"{len(self.failures)} échec(s) sur {self.count} pages :\n" + "\n".join(self.failures)


def fill(page, data: dict):
    """Valid answers typed into a step, field by field by name (radios chosen by value)."""
    page.evaluate("""data => { for (const [name, value] of Object.entries(data)) {
        for (const el of document.getElementsByName(name)) {
            if (el.type === 'radio') el.checked = el.value === value;
            else if (el.type === 'checkbox') el.checked = true;
            else el.value = value;
        } } }""", {k: v for k, v in data.items() if "-FORMS" not in k})


def continuer(page, name="Continuer"):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_public_pages(browser, live_server, demo_site):
    phone_shots = [slug(path) for path in public_pages()]
    audit = Audit(phone_shots)
    page = browser.new_context(viewport=DESKTOP).new_page()
    base = live_server.url
    guide = page.context.request.get(base + "/guide/").text()
    guide_page = next(href for href in re.findall(r'href="(/guide/[a-z0-9-]+/)"', guide)
                      if not href.startswith("/guide/rubrique/"))
    for path in [*public_pages(), guide_page, "/departements/", "/mentions-legales/", "/donnees-personnelles/",
                 "/accessibilite/", "/plan-du-site/"]:
        audit.visit(page, base, path)
    audit.visit(page, base, "/cette-page-n-existe-pas/", "erreur-404", status=404)

    # The simulator with its result.
    page.goto(base + "/simulateur/")
    fill(page, {"date": timezone.localdate().isoformat(), "ressources_mensuelles": "2950", "enfants_a_charge": "2",
                "type_accueil": page.locator("#id_type_accueil_0").get_attribute("value"), "heures_par_semaine": "40"})
    continuer(page, "Calculer")
    audit.shown(page, "simulateur-resultat")

    # The search ranked by a family's need, with each result's cost; an alert made, confirmed, and its stop page.
    page.goto(base + "/recherche/")
    fill(page, {"commune": "Le Puy-en-Velay (43000)", "code_insee": "43157", "age_enfant": "4", "jours": "1",
                "debut": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(), "heure_debut": "08:00",
                "heure_fin": "18:00", "ressources": "3000", "enfants": "2"})
    continuer(page, "Rechercher")
    audit.shown(page, "recherche-besoin")
    page.locator("#alerte-email").fill("audit@example.fr")
    continuer(page, "Créer l'alerte")
    audit.shown(page, "alerte-creee")
    jeton = Alerte.objects.get(email="audit@example.fr").jeton
    audit.visit(page, base, f"/alertes/{jeton}/confirmer/", "alerte-confirmer")
    continuer(page, "Confirmer mon alerte")
    audit.shown(page, "alerte-confirmee")
    audit.visit(page, base, f"/alertes/{jeton}/arreter/", "alerte-arreter")
    continuer(page, "Arrêter et effacer mon alerte")
    audit.shown(page, "alerte-arretee")

    # Every step of the demande d'information, with the errors' summary once, then the recap and the end.
    today = timezone.localdate()
    steps = {name: dict(data) for name, data in STEPS.items()}
    steps["enfants"]["enfants-0-date_naissance"] = (today - datetime.timedelta(days=400)).isoformat()
    steps["besoin"]["a_partir_du"] = (today + datetime.timedelta(days=60)).isoformat()
    page.goto(base + "/demande-information/etape/commune/")
    for name, data in steps.items():
        assert f"/etape/{name}/" in page.url, (name, page.url)
        audit.shown(page, f"demande-{name}")
        if name == "vous":
            continuer(page)
            assert page.locator("#resume-erreurs").count(), "pas de résumé des erreurs"
            audit.shown(page, "demande-vous-erreurs")
        fill(page, data)
        continuer(page)
    assert "/etape/recapitulatif/" in page.url, page.url
    audit.shown(page, "demande-recapitulatif")
    page.locator("input[name=consentement]").check(force=True)  # DSFR draws the box on its label
    continuer(page, "Envoyer ma demande")
    audit.shown(page, "demande-confirmation")
    audit.assert_none()


def a_demande_for_le_puy() -> Demande:
    client = Client()
    for name, data in STEPS.items():
        assert client.post(f"/demande-information/etape/{name}/", data).status_code == 302, name
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    return Demande.objects.get()


def test_professional_pages_of_each_demo_role(browser, live_server, demo_site):
    audit = Audit([f"{role}-{slug(path)}" for role in ("gestionnaire43", "assmat43", "linf43") for path in ("/pro/",)])
    base = live_server.url
    demande = a_demande_for_le_puy()
    for role in ("gestionnaire43", "assmat43", "linf43"):
        page = browser.new_context(viewport=DESKTOP).new_page()
        login(page, live_server, "/pro/connexion/", f"{role}@{DEMO_DOMAIN}",
              seen=lambda page, name, role=role: audit(page, f"{role}-{name}"))
        audit.visit(page, base, "/pro/", f"{role}-pro")
        fiches = dict.fromkeys(page.locator("a[href^='/pro/structures/']").evaluate_all("els => els.map(e => e.pathname)"))
        if fiches:  # the first one was screenshotted on the phone already
            audit.phone_shots.add(f"{role}-{slug(next(iter(fiches)))}")
        for path in [*fiches, "/pro/mot-de-passe/"]:
            audit.visit(page, base, path, f"{role}-{slug(path)}")
        if role == "linf43":
            audit.visit(page, base, "/pro/demandes/", f"{role}-pro-demandes")
            continuer(page, f"Ouvrir {demande.reference}")
            audit.shown(page, f"{role}-pro-demande-detail")
        page.context.close()
    audit.assert_none()


# Pages screenshotted on the phone before the audit covered every page.
BACK_OFFICE = [
    "/administration/", "/administration/structures/structure/", "/administration/structures/structure/add/",
    "/administration/structures/organisme/", "/administration/habilitations/user/",
    "/administration/habilitations/demandehabilitation/", "/administration/demandes/demande/",
    "/administration/demandes/besoinsoffre/", "/administration/structures/usagedusite/",
    "/administration/habilitations/controleconnexions/", "/administration/linf/objectifcouverture/",
    "/administration/guide/pageguide/",
]


def a_validated_habilitation(cnaf: User) -> DemandeHabilitation:
    """A LINF's habilitation granted, so that its page offers the avenant (the demo has none), with one."""
    linf = Structure.objects.filter(rubrique=Rubrique.LINF, commune__departement="43").first()
    submit(Client(), linf)
    demande = DemandeHabilitation.objects.latest("pk")
    services.send_convention(demande=demande, par=cnaf)
    demande = services.validate(demande=DemandeHabilitation.objects.get(pk=demande.pk), par=cnaf)
    # An avenant waiting for its signed return: its table and buttons are on the page.
    services.make_avenant(demande=demande, par=cnaf, retraits=[], ajouts=[
        {"prenom": "Inès", "nom": "Mercier", "email": "ines.mercier@example.fr", "fonction": "EJE"}])
    return demande


@pytest.mark.parametrize("moitie", [0, 1], ids=["premiere-moitie", "seconde-moitie"])
def test_back_office_pages(browser, live_server, demo_site, moitie):
    """Every model of the administration (its list, its add page where the CNAF may add, one object's
    page as its list links it), and the views of their own (dashboards by département, the avenant).
    In two halves, one model in two each: the two test workers share the longest audit."""
    audit = Audit(f"admin-{slug(path)}" for path in BACK_OFFICE)
    base = live_server.url
    habilitation = a_validated_habilitation(User.objects.get(email=f"cnaf@{DEMO_DOMAIN}"))
    page = browser.new_context(viewport=DESKTOP).new_page()
    login(page, live_server, "/administration/", f"cnaf@{DEMO_DOMAIN}", seen=lambda page, name: None)
    if moitie == 0:
        audit.visit(page, base, "/administration/", "admin-administration", design_system=False)
    else:
        page.goto(base + "/administration/")
    listed = set(page.locator("#content-main a[href^='/administration/']").evaluate_all("els => els.map(e => e.pathname)"))
    for model in list(admin.site._registry)[moitie::2]:
        changelist = f"/administration/{model._meta.app_label}/{model._meta.model_name}/"
        if changelist not in listed:  # not for the CNAF (Django's groups, the DSFR's settings): refused
            status = page.context.request.get(base + changelist, max_redirects=0).status
            if status != 403:
                audit.failures.append(f"{changelist} : absent de l'accueil mais répond {status}")
            continue
        audit.visit(page, base, changelist, f"admin-{slug(changelist)}", design_system=False)
        add = page.locator(f"a.addlink[href^='{changelist}add/']")
        change = page.locator(f"#result_list a[href^='{changelist}'][href*='/change/']")
        paths = [add.first.get_attribute("href")] if add.count() else []
        paths += [change.first.get_attribute("href")] if change.count() else []
        for path in paths:
            audit.visit(page, base, path, f"admin-{slug(path.split('?')[0])}", design_system=False)
    views = ["/administration/demandes/demande/?departement=43", "/administration/demandes/besoinsoffre/?departement=43",
             "/administration/structures/usagedusite/?departement=43",
             "/administration/linf/objectifcouverture/?progression=43",
             f"/administration/habilitations/demandehabilitation/{habilitation.pk}/change/",
             f"/administration/habilitations/demandehabilitation/{habilitation.pk}/avenant/",
             f"/administration/structures/structure/{habilitation.structures.first().pk}/history/",
             "/administration/structures/structure/confirmations/",
             "/administration/structures/structure/confirmations/?departement=43"]
    for path in views[moitie::2]:
        audit.visit(page, base, path, f"admin-{slug(path)}", design_system=False)
    audit.assert_none()
