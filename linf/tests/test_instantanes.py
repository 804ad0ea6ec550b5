"""Monthly coverage snapshots and the progress chart, against figures computed by hand."""

import datetime
import io

import pytest
from django.core.management import call_command

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from linf import selectors
from linf.models import ContratCafCnaf, Guichet, InstantaneCouverture
from linf.services import snapshot_couverture
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]
URL = "/administration/linf/objectifcouverture/"


@pytest.fixture
def territoire():
    """43: 700 + 200 + 100 inhabitants, a LINF serving the first and the last (80 %); 64: 1000, none."""
    le_puy = CommuneFactory(code_insee="43157", population=700)
    CommuneFactory(code_insee="43089", population=200)
    brives = CommuneFactory(code_insee="43041", population=100)
    CommuneFactory(code_insee="64445", population=1000)
    linf = StructureFactory(rubrique=Rubrique.LINF, commune=le_puy, nom="PIF du Velay")
    linf.communes_desservies.set([le_puy, brives])
    Guichet.objects.create(structure=linf, ouvert=True)
    ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True)
    return linf


def snapshots():
    return {(s.mois.isoformat(), s.departement_id): (s.communes_couvertes, s.population_couverte, s.population_totale)
            for s in InstantaneCouverture.objects.all()}


def test_the_snapshot_updates_the_current_month_and_leaves_past_months_alone(territoire):
    assert snapshot_couverture(today=datetime.date(2026, 10, 31)) == 2
    Guichet.objects.update(ouvert=False)
    snapshot_couverture(today=datetime.date(2026, 11, 3))
    assert snapshots() == {("2026-10-01", "43"): (2, 800, 1000), ("2026-10-01", "64"): (0, 0, 1000),
                           ("2026-11-01", "43"): (0, 0, 1000), ("2026-11-01", "64"): (0, 0, 1000)}
    Guichet.objects.update(ouvert=True)
    snapshot_couverture(today=datetime.date(2026, 11, 28))  # the same month again: updated, not added
    assert InstantaneCouverture.objects.count() == 4
    assert snapshots()[("2026-11-01", "43")] == (2, 800, 1000)
    assert snapshots()[("2026-10-01", "43")] == (2, 800, 1000)


def test_the_task_and_the_command_write_this_month(territoire):
    from linf.tasks import snapshot_couverture as task

    assert task.delay().get() == 2
    call_command("snapshot_couverture", stdout=io.StringIO())
    assert InstantaneCouverture.objects.count() == 2


def _instantane(mois, departement, couverte, totale=1000):
    InstantaneCouverture.objects.create(mois=mois, departement_id=departement, communes=3, communes_couvertes=1,
                                        population_totale=totale, population_couverte=couverte)


@pytest.fixture
def deux_mois(territoire):
    """43: 10 % in September, 25 % in October; 64: 0 % then 50 % — France 5 % then 37,5 %."""
    _instantane(datetime.date(2026, 9, 1), "43", 100)
    _instantane(datetime.date(2026, 10, 1), "43", 250)
    _instantane(datetime.date(2026, 9, 1), "64", 0)
    _instantane(datetime.date(2026, 10, 1), "64", 500)


def test_the_caf_sees_its_progress_as_a_chart_and_a_table(client, deux_mois):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    html = client.get(URL).content.decode()
    section = html[html.index('id="progression-43"'):html.index("</section>", html.index('id="progression-43"'))]
    svg = section[section.index("<svg"):section.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg
    assert "septembre 2026 : 10,0 %" in svg and "octobre 2026 : 25,0 %" in svg and "Objectif : 80 %" in svg
    assert "10,0 %</text>" in svg and "25,0 %</text>" in svg and "Objectif 80 %</text>" in svg
    assert svg.count("<circle") == 2 and "stroke-dasharray" in svg
    table = section[section.index("<table"):]
    assert "septembre 2026</th><td>1 / 3</td><td>100 / 1000</td><td>10,0 %" in table
    assert "octobre 2026</th><td>1 / 3</td><td>250 / 1000</td><td>25,0 %" in table
    assert 'id="progression-64"' not in html and 'id="progression-france"' not in html


def test_the_chart_coordinates_are_plain_numbers(deux_mois):
    from linf import graphique

    courbe = graphique.courbe(selectors.progression({"43"})["departements"][0]["points"], 80)
    assert courbe["polyline"] == "48,196 620,166"  # 10 % and 25 % of the 200 px from y=216 (0 %) up to y=16
    _instantane(datetime.date(2027, 1, 1), "43", 800)  # November and December missing: their gap stays
    courbe = graphique.courbe(selectors.progression({"43"})["departements"][0]["points"], 80)
    assert courbe["polyline"] == "48,196 191,166 620,56"
    assert [p["etiquette"] for p in courbe["points"]] == [True, True, True]


def test_the_cnaf_sees_france_and_the_departement_it_chooses(client, deux_mois):
    client.force_login(make_person(Role.CNAF_ADMIN))
    html = client.get(URL).content.decode()
    france = html[html.index('id="progression-france"'):]
    assert "septembre 2026 : 5,0 %" in france and "octobre 2026 : 37,5 %" in france
    assert "750 / 2000" in france and 'id="progression-64"' not in html
    html = client.get(URL, {"progression": "64"}).content.decode()
    assert 'id="progression-64"' in html and "octobre 2026 : 50,0 %" in html


def test_the_csv_holds_the_snapshots_of_the_territory(client, deux_mois):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    response = client.get(URL + "instantanes.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffMois;Département;Nom;Communes;Communes couvertes;Population;Population couverte;")
    assert text.splitlines()[1:] == ["2026-09;43;Haute-Loire;3;1;1000;100;10,0", "2026-10;43;Haute-Loire;3;1;1000;250;25,0"]

    client.force_login(make_person(Role.CNAF_ADMIN))
    lines = client.get(URL + "instantanes.csv").content.decode("utf-8").splitlines()
    assert "2026-10;France;;6;2;2000;750;37,5" in lines and len(lines) == 7  # header, 2 x 43, 2 x 64, 2 x France


def test_structure_managers_do_not_reach_the_csv(client, deux_mois, territoire):
    client.force_login(make_person(Role.GESTIONNAIRE, structure=territoire))
    assert client.get(URL + "instantanes.csv").status_code == 302
