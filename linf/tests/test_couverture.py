"""Coverage by the online information service, against figures computed by hand."""

import datetime

import pytest

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from linf import selectors
from linf.models import ContratCafCnaf, Guichet, ObjectifCouverture
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]


@pytest.fixture
def territoire():
    """43: three communes (700, 200 and 100 inhabitants), a LINF serving the first and the last; 64: one commune."""
    le_puy = CommuneFactory(code_insee="43157", population=700)
    espaly = CommuneFactory(code_insee="43089", population=200)
    brives = CommuneFactory(code_insee="43041", population=100)
    CommuneFactory(code_insee="64445", population=1000)
    linf = StructureFactory(rubrique=Rubrique.LINF, commune=le_puy, nom="PIF du Velay")
    linf.communes_desservies.set([le_puy, brives])
    Guichet.objects.create(structure=linf, ouvert=True)
    contrat = ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True)
    return {"linf": linf, "contrat": contrat, "espaly": espaly}


def test_coverage_counts_communes_and_population_served_by_an_open_guichet(territoire):
    rows = {r["departement"]: r for r in selectors.couverture()}
    assert (rows["43"]["communes_couvertes"], rows["43"]["communes"]) == (2, 3)
    assert (rows["43"]["population_couverte"], rows["43"]["population_totale"], rows["43"]["part"]) == (800, 1000, 80.0)
    assert rows["64"]["part"] == 0.0
    assert selectors.total(list(rows.values()))["part"] == 40.0
    assert [c.code_insee for c in selectors.communes_non_couvertes()] == ["64445", "43089"]


def test_a_closed_guichet_or_an_inactive_contract_covers_nothing(territoire):
    territoire["contrat"].actif = False
    territoire["contrat"].save()
    assert {r["departement"]: r["part"] for r in selectors.couverture()}["43"] == 0.0
    territoire["contrat"].actif = True
    territoire["contrat"].save()
    Guichet.objects.filter(structure=territoire["linf"]).update(ouvert=False)
    assert {r["departement"]: r["part"] for r in selectors.couverture()}["43"] == 0.0


def test_each_caf_sees_its_territory_and_only_the_cnaf_sets_the_target(client, territoire):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    html = client.get("/administration/linf/objectifcouverture/").content.decode()
    table = html[html.index('id="couverture"'):html.index('id="non-couvertes"')]
    assert "43 — Haute-Loire" in table and "800 / 1000" in table and "80,0 %" in table
    assert "64 —" not in table and "France" not in table and "Espaly-Saint-Marcel" in html and "Pau" not in html
    objectif = ObjectifCouverture.courant()
    assert client.post(f"/administration/linf/objectifcouverture/{objectif.pk}/change/", {"taux_cible": 10}).status_code == 403

    client.force_login(make_person(Role.CNAF_ADMIN))
    html = client.get("/administration/linf/objectifcouverture/").content.decode()
    assert "France" in html and "40,0 %" in html
    assert client.post(f"/administration/linf/objectifcouverture/{objectif.pk}/change/", {"taux_cible": 75}).status_code == 302
    assert ObjectifCouverture.courant().taux_cible == 75


def test_the_map_data_flags_each_commune_and_stays_in_the_territory(client, territoire):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    data = client.get("/administration/linf/objectifcouverture/carte.json", {"departement": "43"}).json()
    assert {code: couverte for code, _, _, _, _, couverte in data["communes"]} == {
        "43157": True, "43089": False, "43041": True}
    assert client.get("/administration/linf/objectifcouverture/carte.json", {"departement": "64"}).status_code == 404
    client.logout()
    response = client.get("/administration/linf/objectifcouverture/carte.json", {"departement": "43"})
    assert response.status_code == 302, "the back office only"
