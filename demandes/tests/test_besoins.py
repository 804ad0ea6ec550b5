"""Besoins et offre: needs families expressed beside the offer, from the anonymous counts, by hand-computed figures."""

import datetime
import io
import zoneinfo

import pytest
import time_machine

from demandes import recapitulatif, selectors, services, statistiques
from demandes.tests.conftest import open_linf
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]
URL = "/administration/demandes/besoinsoffre/"
PERIODE = {"debut": "2026-09", "fin": "2026-11"}
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NE_EN_2025 = {"date_naissance": datetime.date(2025, 3, 1)}  # 1 to 3 years old in October 2026
A_NAITRE = {"date_prevue": datetime.date(2027, 1, 10)}


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(2026, 10, day, hour, tzinfo=PARIS), tick=False)


def send(commune, besoin, enfant, **fields):
    return services.create_demande_information(commune=commune, enfants=[enfant], qualite="parent", besoin=besoin,
                                   a_partir_du=datetime.date(2027, 1, 4), prenom="Léa", nom="Martin",
                                   email="lea@example.fr", **fields)


@pytest.fixture
def besoins(velay):
    """43 in October 2026 — Le Puy: 3 demandes for a crèche and 1 for an assistant maternel (2 children expected,
    2 aged 1–3; one atypical hours, one disability; 2 in work, 1 job seeking, 1 not said), two opened after 2 and
    5 days; Espaly: 1 garde à domicile; Yssingeaux: 2 families stopped (nobody serves it). Offer of Le Puy:
    2 EAJE with 5 and 0 places, one closed EAJE (not counted), 1 assistant maternel with no place.
    64: Pau, 1 demande for a crèche."""
    le_puy, person = velay["le_puy"], velay["person"]
    with at(15):
        d1 = send(le_puy, "creche", A_NAITRE, situation="emploi", horaires_atypiques=True)
        d2 = send(le_puy, "creche", NE_EN_2025, situation="emploi", handicap=True)
        send(le_puy, "creche", A_NAITRE, situation="recherche")
        send(le_puy, "assmat", NE_EN_2025)
        send(CommuneFactory(code_insee="43089"), "garde_domicile", NE_EN_2025, situation="formation")
        for _ in range(2):
            statistiques.count_unserved(CommuneFactory(code_insee="43268"))
        pau = CommuneFactory(code_insee="64445")
        open_linf("PIF de Pau", pau, person_email="accueil@pif64.example.fr")
        send(pau, "creche", NE_EN_2025)
    with at(17, 11):
        services.open_demande(demande=d1, user=person)
    with at(20, 12):
        services.open_demande(demande=d2, user=person)
    StructureFactory(creche=True, commune=le_puy, places_disponibles=5)
    StructureFactory(creche=True, commune=le_puy, places_disponibles=0)
    StructureFactory(creche=True, fermee=True, commune=le_puy, places_disponibles=9)
    StructureFactory(rubrique=Rubrique.ASSMAT, commune=le_puy, places_disponibles=0)
    StructureFactory(creche=True, commune=pau, places_disponibles=7)
    recapitulatif.rollup_tout()  # the national view reads the nightly rollup


def table(html, code):
    start = html.index(f'id="besoins-{code}"')
    return html[start:html.index("</table>", start)]


def row(html, code, libelle):
    part = table(html, code)
    start = part.index(f"<th scope=\"row\">{libelle}")
    return part[start:part.index("</tr>", start)]


def test_a_caf_agent_reads_demand_and_offer_of_its_communes(client, besoins):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    html = client.get(URL, PERIODE).content.decode()
    assert "Le Puy-en-Velay (43157)</th><td>4</td><td>3</td><td>1</td><td>0</td><td>0</td><td>2</td><td>0</td>" \
           "<td>2</td><td>0</td><td>1</td><td>1</td><td>2</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td>" \
           "<td>3,5</td><td>3,5</td>" in row(html, "demandes", "Le Puy-en-Velay")
    assert "<td>1</td><td>0</td><td>0</td><td>1</td>" in row(html, "demandes", "Espaly-Saint-Marcel")
    assert "Yssingeaux (43268)</th><td>2</td>" in row(html, "non-servies", "Yssingeaux")
    # Offer columns: fiches EAJE, RPE, LAEP, ALSH, ASSMAT, LINF, MAM, then places EAJE, ASSMAT, ALSH.
    assert "<td>2</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td><td>0</td><td>5</td><td>0</td><td>0</td>" \
        in row(html, "offre", "Le Puy-en-Velay")
    assert "Pau" not in html and "64445" not in html


def test_demand_ahead_of_offer_comes_first(client, besoins):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    comparaison = table(client.get(URL, PERIODE).content.decode(), "comparaison")
    order = [name for name in ("Le Puy-en-Velay", "Yssingeaux", "Espaly-Saint-Marcel") if name in comparaison]
    assert sorted(order, key=comparaison.index) == ["Le Puy-en-Velay", "Yssingeaux", "Espaly-Saint-Marcel"]
    # 3 crèche vs 2 EAJE, 5 places; 1 assistant maternel vs 1 fiche, 0 place: one demande with no place in front.
    assert "<td>4</td><td>3</td><td>2</td><td>5</td><td>1</td><td>1</td><td>0</td><td>0</td><td>1</td>" \
        in comparaison


def test_every_table_exports_as_a_french_csv(client, besoins):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    response = client.get(URL, {**PERIODE, "export": "demandes"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="besoins-demandes-43-2026-09-2026-11.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffCode;Commune;Demandes;Crèche;Assistant maternel;Garde à domicile;")
    assert lines[0].endswith(";Traitées;Délai moyen avant traitement (jours);Délai médian avant traitement (jours)")
    assert "43157;Le Puy-en-Velay;4;3;1;0;0;2;0;2;0;1;1;2;1;0;0;1;2;3,5;3,5" in lines
    assert "43089;Espaly-Saint-Marcel;1;0;0;1;0;0;0;1;0;0;0;0;0;1;0;0;0;;" in lines
    lines = client.get(URL, {**PERIODE, "export": "comparaison"}).content.decode("utf-8").splitlines()
    assert lines[1:] == ["43157;Le Puy-en-Velay;4;3;2;5;1;1;0;0;1", "43268;Yssingeaux;0;0;0;0;0;0;0;2;0",
                         "43089;Espaly-Saint-Marcel;1;0;0;0;0;0;0;0;0"]
    lines = client.get(URL, {**PERIODE, "export": "non-servies"}).content.decode("utf-8").splitlines()
    assert lines == ["\ufeffCode;Commune;Familles arrêtées faute de lieu d'information", "43268;Yssingeaux;2"]
    lines = client.get(URL, {**PERIODE, "export": "offre"}).content.decode("utf-8").splitlines()
    assert "43157;Le Puy-en-Velay;2;0;0;0;1;1;0;5;0;0" in lines


def test_the_period_counts_only_its_months(client, besoins):
    agent = make_person(Role.CAF_AGENT, caf_code="43")
    client.force_login(agent)
    html = client.get(URL, {"debut": "2026-11", "fin": "2026-12"}).content.decode()
    assert "Aucune donnée pour cette période." in table(html, "demandes")
    with time_machine.travel(datetime.datetime(2027, 9, 30, 12, tzinfo=PARIS), tick=False):
        client.force_login(agent)  # sessions last 4 hours
        html = client.get(URL).content.decode()  # the last 12 months: October 2026 to September 2027
    assert 'value="2026-10"' in html and "Le Puy-en-Velay (43157)</th><td>4</td>" in html
    with time_machine.travel(datetime.datetime(2027, 10, 1, 12, tzinfo=PARIS), tick=False):
        client.force_login(agent)
        html = client.get(URL).content.decode()
    assert 'value="2026-11"' in html and "Le Puy-en-Velay (43157)</th><td>4</td>" not in html


def test_a_caf_agent_stays_in_its_departement(client, besoins):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    assert client.get(URL, {"departement": "64"}).status_code == 404
    assert client.get(URL, {"departement": "64", "export": "demandes"}).status_code == 404
    assert client.get(URL, {"departement": "43"}).status_code == 200


def test_the_cnaf_sees_the_country_by_departement_and_opens_any(client, besoins):
    client.force_login(make_person(Role.CNAF_ADMIN))
    html = client.get(URL, PERIODE).content.decode()
    assert "Haute-Loire (43)</th><td>5</td><td>3</td><td>1</td><td>1</td>" in row(html, "demandes", "Haute-Loire")
    assert "(64)</th><td>1</td><td>1</td>" in table(html, "demandes")
    lines = client.get(URL, {**PERIODE, "export": "demandes"}).content.decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffCode;Département;Demandes;")
    html = client.get(URL, {**PERIODE, "departement": "64"}).content.decode()
    assert "Pau (64445)</th><td>1</td><td>1</td>" in html and "Le Puy" not in html
    # Pau: 1 crèche demande, 1 EAJE with 7 places.
    assert "<td>1</td><td>1</td><td>1</td><td>7</td>" in table(html, "comparaison")


def test_only_the_back_office_people_reach_it_and_it_sits_in_its_section(client, besoins, velay):
    client.force_login(make_person(Role.GESTIONNAIRE, structure=velay["linf"]))
    assert client.get(URL).status_code == 302  # to the login page, as for every page of the back office
    client.logout()
    assert client.get(URL, {"export": "demandes"}).status_code == 302
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    index = client.get("/administration/").content.decode()
    section = index[index.index("Pilotage et statistiques"):]
    assert URL in section[:section.index("</table>")]


def test_the_page_reads_aggregates_in_a_fixed_number_of_queries(client, besoins, django_assert_max_num_queries):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    with django_assert_max_num_queries(12):
        client.get(URL, PERIODE)


@pytest.fixture
def deux_lieux(velay):
    """Le Puy served by two open LINF: a demande reaches both, and stays one family's demande."""
    open_linf("Relais du Puy", velay["le_puy"], person_email="relais@puy.example.fr")
    with at(15):
        send(velay["le_puy"], "creche", NE_EN_2025, situation="emploi")
    return velay


def test_a_demande_sent_to_two_linf_counts_once(client, deux_lieux):
    from demandes.models import StatistiqueDemande

    assert sorted(StatistiqueDemande.objects.values_list("premier_lieu", "nombre")) == [(False, 1), (True, 1)]
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    assert "Le Puy-en-Velay (43157)</th><td>1</td><td>1</td>" in client.get(URL, PERIODE).content.decode()


def test_the_migration_marks_the_rows_of_demandes_alive_beyond_their_first_linf(deux_lieux):
    import importlib

    from django.apps import apps

    from demandes.models import StatistiqueDemande

    migration = importlib.import_module("demandes.migrations.0008_statistique_premier_lieu")
    StatistiqueDemande.objects.update(premier_lieu=True)  # as the rows stood before the field
    migration.mark_other_lieux(apps, None)
    first = min(deux_lieux["linf"].pk, StatistiqueDemande.objects.exclude(linf=deux_lieux["linf"]).get().linf_id)
    assert {(s.linf_id == first, s.premier_lieu, s.nombre) for s in StatistiqueDemande.objects.all()} == {
        (True, True, 1), (False, False, 1)}
    migration.unmark(apps, None)
    assert set(StatistiqueDemande.objects.values_list("premier_lieu", "nombre")) == {(True, 1)}


# The national view reads a nightly rollup ------------------------------------------------------------

@pytest.fixture
def deux_mois(besoins, velay):
    """Besoins (October 2026), and September 2026: 3 more demandes in Le Puy opened after 1, 9 and 9 days,
    one in Pau left new, one family of Yssingeaux stopped."""
    le_puy, person = velay["le_puy"], velay["person"]
    sent = []
    with time_machine.travel(datetime.datetime(2026, 9, 3, 10, tzinfo=PARIS), tick=False):
        sent = [send(le_puy, besoin, NE_EN_2025, situation="emploi") for besoin in ("creche", "assmat", "creche")]
        send(CommuneFactory(code_insee="64445"), "creche", A_NAITRE)
        statistiques.count_unserved(CommuneFactory(code_insee="43268"))
    for demande, day in zip(sent, (4, 12, 12), strict=True):
        with time_machine.travel(datetime.datetime(2026, 9, day, 11, tzinfo=PARIS), tick=False):
            services.open_demande(demande=demande, user=person)
    recapitulatif.rollup_tout()


def test_the_national_rows_from_the_rollup_are_the_live_ones(deux_mois):
    debut, fin = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
    national = selectors.national(debut, fin)
    assert national["demandes"] == selectors.demandes(None, debut, fin)
    assert national["non_servies"] == selectors.non_servies(None, debut, fin)
    assert national["offre"] == selectors.offre(None)
    haute_loire = next(r for r in national["demandes"] if r["cle"] == "43")
    # Delays 1, 9, 9 (September), 2, 5 (October): mean 5.2, median 5.
    assert (haute_loire["total"], haute_loire["traitees"]) == (8, 5)
    assert (haute_loire["delai_moyen"], haute_loire["delai_median"]) == (5.2, 5)
    assert [(r["cle"], r["familles"]) for r in national["non_servies"]] == [("43", 3)]
    one_month = selectors.national(fin, fin)
    assert one_month["demandes"] == selectors.demandes(None, fin, fin)
    assert next(r for r in one_month["demandes"] if r["cle"] == "43")["delai_median"] == 3.5


def test_the_nightly_run_recomputes_the_months_still_moving_and_leaves_older_ones(deux_mois):
    from demandes.models import DemandeNonServie, RecapitulatifBesoins

    ancien = datetime.date(2026, 1, 1)  # beyond the six months a demande lives
    DemandeNonServie.objects.create(mois=ancien, commune_id="43268", nombre=4)
    recapitulatif.rollup_tout()
    before = RecapitulatifBesoins.objects.get(mois=ancien, departement="43")
    DemandeNonServie.objects.filter(mois=ancien).update(nombre=40)  # not what happens: to see it is not read
    DemandeNonServie.objects.filter(mois=datetime.date(2026, 10, 1)).update(nombre=7)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 1, tzinfo=PARIS), tick=False):
        report = recapitulatif.rollup_recent()
    assert report.mois == 7  # May to November 2026
    after = RecapitulatifBesoins.objects.get(mois=ancien, departement="43")
    assert (after.non_servies, after.calcule_le) == (4, before.calcule_le)
    assert RecapitulatifBesoins.objects.get(mois=datetime.date(2026, 10, 1), departement="43").non_servies == 7


def test_the_national_page_says_when_its_figures_were_computed(client, besoins):
    client.force_login(make_person(Role.CNAF_ADMIN))
    assert "chiffres arrêtés le" in client.get(URL, PERIODE).content.decode()
    html = client.get(URL, {**PERIODE, "departement": "43"}).content.decode()
    assert "chiffres arrêtés le" not in html and "Le Puy-en-Velay (43157)</th><td>4</td>" in html


def test_before_the_first_rollup_the_national_page_says_so(client, velay):
    from django.core.management import call_command

    client.force_login(make_person(Role.CNAF_ADMIN))
    with at(15):
        send(velay["le_puy"], "creche", NE_EN_2025)
    html = client.get(URL, PERIODE).content.decode()
    assert "Les chiffres nationaux n'ont pas encore été calculés" in html
    assert "Aucune donnée pour cette période." in table(html, "demandes")
    call_command("recapitulatif_besoins", "--tout", stdout=io.StringIO())
    assert "Haute-Loire (43)</th><td>1</td>" in row(client.get(URL, PERIODE).content.decode(), "demandes", "Haute-Loire")


def test_the_nightly_task_is_scheduled():
    from django.conf import settings

    from demandes.tasks import rollup_besoins

    assert rollup_besoins()["offre"] == 0
    assert any(e["task"] == "demandes.tasks.rollup_besoins" for e in settings.CELERY_BEAT_SCHEDULE.values())
