"""Usage of the site in the back office, and the simulator counted through the glue of monenfant/.

Figures by hand: fiche A viewed 3 times, B once (43), C 5 times (64); two EAJE searches from Le Puy,
one RPE search from Pau; one simulation; and, the month before, ten EAJE searches in 43.
"""

import datetime

import lxml.html
import pytest
import time_machine

from compteurs import usage
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from simulateur.enums import EvenementUsage as EvenementSimulateur
from structures.enums import EvenementUsage
from structures.models import CompteurUsage
from structures.tests.factories import CommuneFactory, DepartementFactory, StructureFactory
from structures.tests.usage_helpers import counted

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC)
PAGE = "/administration/structures/usagedusite/"
SIMULATION = {
    "date": "2026-03-01", "ressources_mensuelles": "2950", "enfants_a_charge": "2", "enfants_aeeh": "0",
    "type_accueil": "collectif", "heures_par_semaine": "40", "semaines_par_an": "47", "mois_factures": "12",
}


def table(html: str, table_id: str) -> list[list[str]]:
    rows = lxml.html.fromstring(html).xpath(f"//table[@id='{table_id}']/tbody/tr")
    return [[" ".join(td.text_content().split()) for td in row.xpath("td")] for row in rows]


@pytest.fixture
def month(client):
    with time_machine.travel(NOW, tick=False):
        DepartementFactory(code="64", nom="Pyrénées-Atlantiques")
        le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
        a = StructureFactory(nom="Crèche A", creche=True, commune=le_puy)
        b = StructureFactory(nom="Crèche B", creche=True, commune=le_puy)
        c = StructureFactory(nom="Crèche C", creche=True, commune=pau)
        for fiche, views in ((a, 3), (b, 1), (c, 5)):
            for _ in range(views):
                client.get(f"/structures/{fiche.pk}/")
        for _ in range(2):
            client.get("/recherche/", {"code_insee": "43157", "rubrique": "EAJE"})
        client.get("/api/structures/", {"commune": "64445", "rubrique": "RPE"})
        client.get("/api/simulateur/creche/", SIMULATION)
        usage.flush()
        CompteurUsage.objects.create(jour=datetime.date(2026, 2, 27), evenement=EvenementUsage.RECHERCHE,
                                     departement_id="43", rubrique="EAJE", nombre=10)
        yield {"a": a, "b": b, "c": c}


def test_a_simulation_shown_is_counted_an_error_is_not(client):
    client.get("/simulateur/")
    client.post("/simulateur/", {**SIMULATION, "heures_par_semaine": "80"})
    client.get("/api/simulateur/creche/", {**SIMULATION, "enfants_a_charge": "deux"})
    assert counted(EvenementSimulateur.SIMULATION) == 0
    assert client.post("/simulateur/", {**SIMULATION, "ressources_mensuelles": "", "ressources_annuelles": "35400"}).status_code == 200
    assert client.get("/api/simulateur/creche/", SIMULATION).status_code == 200
    assert counted(EvenementSimulateur.SIMULATION) == 2


@time_machine.travel(NOW, tick=False)
def test_the_cnaf_sees_the_country_this_month(client, month):
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@cnaf.example.fr"))
    index = client.get("/administration/").content.decode()
    assert "Pilotage et statistiques" in index and "Usage du site" in index
    html = client.get(PAGE).content.decode()
    assert "mars 2026 — France entière" in html and "dans la minute" in html
    assert table(html, "usage-totaux") == [
        ["Recherche de solutions d'accueil", "3"], ["Fiche consultée", "9"], ["Simulation du coût", "1"],
        ["Demande d'information commencée", "0"], ["Demande d'information envoyée", "0"], ["Page du guide lue", "0"],
        ["Alerte de place confirmée", "0"], ["Alerte de place envoyée", "0"],
    ]
    assert table(html, "usage-recherches") == [
        ["43 — Haute-Loire", "Crèche et autre accueil collectif (EAJE)", "2"],
        ["64 — Pyrénées-Atlantiques", "Relais petite enfance", "1"],
    ]
    # The country's fiches are read one département at a time.
    assert table(html, "usage-fiches") == [["Choisissez un département pour voir ses fiches les plus consultées."]]
    assert table(client.get(PAGE, {"departement": "43"}).content.decode(), "usage-fiches") == [
        ["Crèche A", "Crèche et autre accueil collectif (EAJE)", "Le Puy-en-Velay (43)", "3"],
        ["Crèche B", "Crèche et autre accueil collectif (EAJE)", "Le Puy-en-Velay (43)", "1"],
    ]
    assert table(html, "usage-evolution") == [["20/03/2026", "3", "9", "1", "0", "0", "0", "0", "0"]]
    february = client.get(PAGE, {"mois": "2026-02"}).content.decode()
    assert table(february, "usage-recherches") == [["43 — Haute-Loire", "Crèche et autre accueil collectif (EAJE)", "10"]]
    assert table(february, "usage-evolution") == [["27/02/2026", "10", "0", "0", "0", "0", "0", "0", "0"]]
    assert table(client.get(PAGE, {"departement": "64"}).content.decode(), "usage-fiches")[0][0] == "Crèche C"


@time_machine.travel(NOW, tick=False)
def test_a_caf_agent_sees_their_departement_only(client, month):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    html = client.get(PAGE).content.decode()
    totaux = table(html, "usage-totaux")
    assert totaux[:2] == [["Recherche de solutions d'accueil", "2"], ["Fiche consultée", "4"]]
    assert totaux[2] == ["Simulation du coût (France entière : non rattaché à un département)", "1"]
    assert table(html, "usage-recherches") == [["43 — Haute-Loire", "Crèche et autre accueil collectif (EAJE)", "2"]]
    assert [row[0] for row in table(html, "usage-fiches")] == ["Crèche A", "Crèche B"]
    assert "Crèche C" not in html and "Pyrénées" not in html
    assert client.get(PAGE, {"departement": "43"}).status_code == 200
    assert client.get(PAGE, {"departement": "64"}).status_code == 404
    assert client.get(PAGE, {"departement": "64", "export": "fiches"}).status_code == 404

    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    html = client.get(PAGE).content.decode()
    assert table(html, "usage-fiches") == [["Crèche C", "Crèche et autre accueil collectif (EAJE)", "Pau (64)", "5"]]
    assert client.get(PAGE, {"departement": "43"}).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_each_table_downloads_as_a_csv_excel_opens(client, month):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    response = client.get(PAGE, {"mois": "2026-03", "export": "recherches"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="usage-recherches-2026-03.csv"'
    assert response.content.decode("utf-8") == (
        "\ufeffDépartement;Nom du département;Rubrique;Recherches\r\n"
        "43;Haute-Loire;Crèche et autre accueil collectif (EAJE);2\r\n"
    )
    fiches = client.get(PAGE, {"export": "fiches"}).content.decode("utf-8-sig").splitlines()
    assert fiches == [
        "Identifiant;Fiche;Rubrique;Commune;Département;Consultations",
        f"{month['a'].pk};Crèche A;Crèche et autre accueil collectif (EAJE);Le Puy-en-Velay;43;3",
        f"{month['b'].pk};Crèche B;Crèche et autre accueil collectif (EAJE);Le Puy-en-Velay;43;1",
    ]
    totaux = client.get(PAGE, {"export": "totaux"}).content.decode("utf-8-sig").splitlines()
    assert totaux[:3] == ["Événement;Nombre;Périmètre", "Recherche de solutions d'accueil;2;territoire",
                          "Fiche consultée;4;territoire"]
    evolution = client.get(PAGE, {"export": "evolution"}).content.decode("utf-8-sig").splitlines()
    assert evolution[1] == "20/03/2026;2;4;1;0;0;0;0;0"


def test_structure_people_do_not_see_the_page(client, month):
    client.force_login(make_person(Role.GESTIONNAIRE, structure=month["a"], email="directrice@a.example.fr"))
    assert client.get(PAGE).status_code == 302  # to the back office login: not theirs
