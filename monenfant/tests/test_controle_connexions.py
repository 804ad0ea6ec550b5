"""Contrôle des connexions: what a CAF reads of its habilitated persons' use of their access.

Figures computed by hand. Julie (LINF of Le Puy, 43): in October 1 login; in November 2 logins,
1 failure, 3 demandes opened (one of them twice) and 1 XML export of 2 demandes → 2/1/3/2 for
November and 1/0/0/0 for October. A failure typed with an unknown address changes nothing.
"""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from demandes.tests.conftest import open_linf
from demandes.tests.test_exports import make_demandes
from habilitations.enums import Role
from habilitations.models import ActiviteMensuelle
from habilitations.tests.factories import PASSWORD, UserFactory, make_person
from habilitations.tests.fixtures import give_second_factor
from habilitations.workflow import DemandeHabilitation, PersonneHabilitee
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]
PARIS = ZoneInfo("Europe/Paris")
PAGE = "/administration/habilitations/controleconnexions/"
CSV = PAGE + "export.csv"
FIELDS = ["connexions", "echecs", "demandes_ouvertes", "demandes_exportees"]


def at(day: int, month: int = 11):
    return time_machine.travel(datetime.datetime(2026, month, day, 10, 0, tzinfo=PARIS), tick=False)


def login(client, email, password=PASSWORD):
    return client.post("/pro/connexion/", {"username": email, "password": password})


def withdrawn_person(linf, email):
    """Habilitated on this LINF, then withdrawn by an avenant: no role left, account closed."""
    demande = DemandeHabilitation.objects.create(
        caf=linf.commune.departement.caf, organisme_nom="Agglo", organisme_adresse="1 place", demandeur_nom="Claire",
        demandeur_email="claire@example.fr",
    )
    demande.structures.set([linf])
    user = UserFactory(email=email, first_name="Anne", last_name="Retirée", is_active=False)
    PersonneHabilitee.objects.create(demande=demande, prenom="Anne", nom="Retirée", email=email, fonction="Animatrice",
                                     user=user, retiree_le=datetime.datetime(2026, 11, 5, 10, 0, tzinfo=PARIS))
    return user


@pytest.fixture
def scenario(client):
    linf43, julie = open_linf("PIF du Velay", CommuneFactory(code_insee="43157"), person_email="julie@pif43.example.fr")
    linf64, paul = open_linf("PIF de Pau", CommuneFactory(code_insee="64445"), person_email="paul@pif64.example.fr")
    anne = withdrawn_person(linf43, "anne@pif43.example.fr")
    with at(15, month=10):
        assert login(client, "julie@pif43.example.fr").status_code == 302
        client.logout()
    with at(10):
        assert login(client, "julie@pif43.example.fr").status_code == 302
        client.logout()
        assert login(client, "JULIE@pif43.example.fr", "mauvais").status_code == 200
        before = list(ActiviteMensuelle.objects.values_list("user", "mois", *FIELDS).order_by("pk"))
        assert login(client, "personne@inconnue.example.fr", "mauvais").status_code == 200
        assert list(ActiviteMensuelle.objects.values_list("user", "mois", *FIELDS).order_by("pk")) == before
        assert login(client, "julie@pif43.example.fr").status_code == 302
        give_second_factor(client, julie)
        d1, d2, d3 = make_demandes(linf43, linf43.commune, 3)
        for demande in (d1, d2, d3):
            assert client.post(f"/pro/demandes/{demande.reference}/ouvrir/").status_code == 302
        for demande in (d1, d2, d3, d1):
            assert client.get(f"/pro/demandes/{demande.reference}/").status_code == 200
        export = client.post("/pro/demandes/export/", {"references": [d1.reference, d2.reference], "format": "xml"})
        b"".join(export.streaming_content)
        client.logout()
        assert login(client, "paul@pif64.example.fr").status_code == 302
        client.logout()
    return {"julie": julie, "paul": paul, "anne": anne, "linf43": linf43}


def rows(response) -> dict[str, dict[str, str]]:
    """The changelist as a reader sees it: per email, the text of each column."""
    assert response.status_code == 200
    page = html.fromstring(response.content.decode())
    found = {}
    for tr in page.xpath("//table[@id='result_list']/tbody/tr"):
        cells = {c.get("class").split()[0].removeprefix("field-"): " ".join(c.text_content().split())
                 for c in tr.xpath("./td|./th") if (c.get("class") or "").startswith("field-")}
        email = tr.xpath(".//td[contains(@class,'field-personne')]//small")[0].text_content()
        found[email] = cells
    return found


def figures(row) -> tuple[str, ...]:
    return tuple(row[f] for f in FIELDS)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "BOM, pour qu'Excel lise les accents"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_caf_reads_the_month_figures_of_its_persons(client, scenario):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    client.force_login(agent)
    with at(20):
        november = rows(client.get(PAGE))
        october = rows(client.get(PAGE + "?mois=2026-10"))
        page = client.get(PAGE).content.decode()
    assert set(november) == {"julie@pif43.example.fr", "anne@pif43.example.fr"}, "ni Paul (64), ni l'agent"
    julie = november["julie@pif43.example.fr"]
    assert figures(julie) == ("2", "1", "3", "2")
    assert julie["lieux_information"] == "PIF du Velay"
    assert julie["derniere_connexion"] == "10/11/2026 10:00"
    assert figures(october["julie@pif43.example.fr"]) == ("1", "0", "0", "0")
    anne = november["anne@pif43.example.fr"]
    assert anne["lieux_information"] == "PIF du Velay (accès retiré le 05/11/2026)"
    assert figures(anne) == ("0", "0", "0", "0") and anne["derniere_connexion"] == "jamais"
    assert "Activité de novembre 2026" in page and "octobre 2026" in page and "décembre 2025" in page
    assert "novembre 2025" not in page, "12 mois au choix, pas plus"


def test_csv_export_of_the_month(client, scenario):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    with at(20):
        november = csv_rows(client.get(CSV))
        october = csv_rows(client.get(CSV + "?mois=2026-10"))
    assert november[0] == ["Nom", "Prénom", "Courriel", "Lieu(x) d'information", "Dernière connexion", "Mois",
                           "Connexions", "Échecs de connexion", "Demandes ouvertes", "Demandes exportées"]
    by_email = {r[2]: r for r in november[1:]}
    assert set(by_email) == {"julie@pif43.example.fr", "anne@pif43.example.fr"}
    assert by_email["julie@pif43.example.fr"][3:] == ["PIF du Velay", "10/11/2026 10:00", "11/2026", "2", "1", "3", "2"]
    julie_october = next(r for r in october if r[2] == "julie@pif43.example.fr")
    assert julie_october[5:] == ["10/2026", "1", "0", "0", "0"]


def test_the_detail_of_a_person_over_12_months(client, scenario):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    julie = scenario["julie"]
    with at(20):
        response = client.get(f"{PAGE}{julie.pk}/change/")
        detail_csv = csv_rows(client.get(f"{PAGE}{julie.pk}/export.csv"))
    page = html.fromstring(response.content.decode())
    table = {tr.xpath("./th")[0].text_content(): [td.text_content() for td in tr.xpath("./td")]
             for tr in page.xpath("//table[@id='activite-12-mois']/tbody/tr")}
    assert len(table) == 12 and list(table)[0] == "novembre 2026" and list(table)[-1] == "décembre 2025"
    assert table["novembre 2026"] == ["2", "1", "3", "2"] and table["octobre 2026"] == ["1", "0", "0", "0"]
    assert table["septembre 2026"] == ["0", "0", "0", "0"]
    assert detail_csv[0] == ["Mois", "Connexions", "Échecs de connexion", "Demandes ouvertes", "Demandes exportées"]
    assert detail_csv[1:3] == [["11/2026", "2", "1", "3", "2"], ["10/2026", "1", "0", "0", "0"]]


def test_an_agent_of_caf_64_sees_neither_43_persons_nor_their_detail(client, scenario):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    julie = scenario["julie"]
    with at(20):
        assert set(rows(client.get(PAGE))) == {"paul@pif64.example.fr"}
        assert [r[2] for r in csv_rows(client.get(CSV))[1:]] == ["paul@pif64.example.fr"]
        assert client.get(f"{PAGE}{julie.pk}/change/").status_code == 404
        assert client.get(f"{PAGE}{julie.pk}/export.csv").status_code == 404
        assert client.get(f"{PAGE}{scenario['anne'].pk}/change/").status_code == 404


def test_the_cnaf_sees_every_territory(client, scenario):
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    with at(20):
        found = rows(client.get(PAGE))
    assert set(found) == {"julie@pif43.example.fr", "anne@pif43.example.fr", "paul@pif64.example.fr"}
    assert figures(found["paul@pif64.example.fr"]) == ("1", "0", "0", "0")
    assert found["paul@pif64.example.fr"]["lieux_information"] == "PIF de Pau"


def test_structure_managers_and_habilitated_persons_have_no_access(client, scenario):
    gestionnaire = make_person(Role.GESTIONNAIRE, structure=scenario["linf43"], email="gestion@example.fr")
    for person in (gestionnaire, scenario["julie"]):
        client.force_login(person)
        for url in (PAGE, CSV, f"{PAGE}{scenario['julie'].pk}/change/", f"{PAGE}{scenario['julie'].pk}/export.csv"):
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url
    client.logout()
    assert client.get(CSV).status_code == 302


def test_the_page_is_in_the_steering_section(client, scenario):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    index = html.fromstring(client.get("/administration/").content.decode())
    section = index.xpath("//div[contains(@class,'module')][.//caption[contains(., 'Pilotage et statistiques')]]")
    assert section and "Contrôle des connexions" in section[0].text_content()


def test_the_page_runs_as_many_queries_for_many_persons(client, scenario):
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    client.get(PAGE)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    few = queries()
    for i in range(5):
        open_linf(f"PIF {i}", CommuneFactory(code_insee="43089"), person_email=f"p{i}@pif43.example.fr")
        withdrawn_person(scenario["linf43"], f"r{i}@pif43.example.fr")
    assert queries() == few


@pytest.mark.parametrize("who", ["cnaf", "agent"])
def test_the_persons_are_chosen_by_the_database_not_sent_to_it(client, scenario, who):
    # The country has 1,647 persons: their ids written into each query of the page cost more than the page.
    person = (make_person(Role.CNAF_ADMIN, email="cnaf@example.fr") if who == "cnaf"
              else make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    client.force_login(person)

    def sql_sent(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            assert response.status_code == 200
            response.content  # noqa: B018 (the CSV is read as it streams)
        return sum(len(q["sql"]) for q in captured)

    with at(20):
        page, export = sql_sent(PAGE), sql_sent(CSV)
        added = [open_linf(f"PIF {i}", CommuneFactory(code_insee="43089"), person_email=f"p{i}@pif43.example.fr")[1]
                 for i in range(20)]
        assert len(rows(client.get(PAGE))) > 20
        assert sql_sent(CSV) == export
        # The page names the LINF of the persons it shows (50 at most), in two queries: nothing else grows.
        shown = len(", ".join(str(p.pk) for p in added)) + len(", ")
        assert page < sql_sent(PAGE) <= page + 2 * shown


def test_the_daily_purge_keeps_the_twelve_months_the_page_offers():
    """The retention rule (README): the current month and the 11 before it; older counts are deleted."""
    from habilitations.purge import purge_expired
    from habilitations.selectors import derniers_mois

    person = UserFactory(email="compte@example.fr")
    kept = derniers_mois()
    older = [kept[-1] - datetime.timedelta(days=1), kept[-1] - datetime.timedelta(days=400)]
    for mois in [*kept, *older]:
        ActiviteMensuelle.objects.create(user=person, mois=mois.replace(day=1), connexions=1)
    assert purge_expired().activites == 2
    assert sorted(ActiviteMensuelle.objects.values_list("mois", flat=True)) == sorted(kept)
