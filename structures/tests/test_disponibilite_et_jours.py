"""What families search for, answered right: a place now (not one announced for later), and who is open on
Saturday (an assistant maternel by the half-days they declare working, a crèche by its hours). Dates are
computed from today: these tests hold on any day."""

import datetime
import importlib

import lxml.html
import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from monenfant.francais import MOIS
from structures import services
from structures.enums import Jour, Rubrique
from structures.models import CreneauDisponible, CreneauTravaille, DemiJournee, Horaire, Structure
from structures.selectors import Criteres, search_structures
from structures.tests.factories import CommuneFactory, HoraireFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]

MATIN, APRES_MIDI = DemiJournee.MATIN, DemiJournee.APRES_MIDI


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def plus_tard() -> datetime.date:
    """A day some weeks ahead (never the 1st, written "1er")."""
    jour = timezone.localdate() + datetime.timedelta(days=40)
    return jour + datetime.timedelta(days=1) if jour.day == 1 else jour


def en_clair(jour: datetime.date) -> str:
    return f"{jour.day} {MOIS[jour.month - 1]} {jour.year}"


def assmat(nom: str, *, travail=(), **champs) -> Structure:
    fiche = StructureFactory(nom=nom, rubrique=Rubrique.ASSMAT, capacite=4, **champs)
    CreneauTravaille.objects.bulk_create([CreneauTravaille(structure=fiche, jour=j, demi_journee=d) for j, d in travail])
    return fiche


def noms(point, **criteres) -> set[str]:
    return {s.nom for s in search_structures(Criteres(point=point, **criteres))}


def text(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).text_content().split())


# Places available now -------------------------------------------------------------------------


@pytest.fixture
def places(le_puy):
    today = timezone.localdate()
    return {
        "plus tard": assmat("Place plus tard", places_disponibles=1, disponible_a_partir_du=plus_tard()),
        "aujourd'hui": assmat("Place aujourd'hui", places_disponibles=1, disponible_a_partir_du=today),
        "depuis hier": assmat("Place depuis hier", places_disponibles=2,
                              disponible_a_partir_du=today - datetime.timedelta(days=1)),
        "sans date": assmat("Place sans date", places_disponibles=1),
        "complet": assmat("Complet", places_disponibles=0),
        "creche": StructureFactory(nom="Crèche avec places", creche=True, places_disponibles=3),
    }


def test_places_available_now_leave_out_a_place_announced_for_later(le_puy, places):
    assert noms(le_puy.point, places_disponibles=True) == {
        "Place aujourd'hui", "Place depuis hier", "Place sans date", "Crèche avec places"}
    # Without the filter, the place announced for later is found, and says when.
    assert "Place plus tard" in noms(le_puy.point)


def test_the_search_page_and_the_api_apply_the_same_rule(client, le_puy, places):
    html = client.get("/recherche/", {"code_insee": "43157", "places_disponibles": "1"}).content.decode()
    assert "Place sans date" in html and "Place plus tard" not in html
    api = client.get("/api/structures/", {"commune": "43157", "places_disponibles": "1"}).json()
    assert {f["properties"]["nom"] for f in api["features"]} == noms(le_puy.point, places_disponibles=True)

    html = client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert f"Place disponible dès le {en_clair(plus_tard())}" in text(html)
    api = client.get("/api/structures/", {"commune": "43157"}).json()
    plus_tard_api = next(f["properties"] for f in api["features"] if f["properties"]["nom"] == "Place plus tard")
    assert plus_tard_api["disponible_a_partir_du"] == plus_tard().isoformat()


def test_the_rule_for_one_fiche_is_the_rule_of_the_search(places):
    avec_place = set(Structure.objects.avec_place().values_list("pk", flat=True))
    assert {s.pk for s in places.values() if s.a_une_place_maintenant} == avec_place
    # On the day the place opens, it is available.
    assert places["plus tard"].pk in set(Structure.objects.avec_place(plus_tard()).values_list("pk", flat=True))


def test_the_fiche_says_when_a_place_opens_and_not_that_it_is_free_now(client, places):
    page = text(client.get(places["plus tard"].get_absolute_url()).content.decode())
    assert f"Place disponible dès le {en_clair(plus_tard())}" in page
    assert "dès maintenant" not in page
    assert "Place disponible dès maintenant" in text(client.get(places["aujourd'hui"].get_absolute_url()).content.decode())


def test_a_full_assistant_is_never_said_free_now(client, le_puy):
    fiche = assmat("Complète depuis", places_disponibles=0,
                   disponible_a_partir_du=timezone.localdate() - datetime.timedelta(days=3))
    page = text(client.get(fiche.get_absolute_url()).content.decode())
    assert "Complet" in page and "dès maintenant" not in page


def test_a_mam_lists_an_assistant_whose_place_opens_later_with_its_date(client, le_puy):
    mam = StructureFactory(nom="MAM Les Doudous", rubrique=Rubrique.MAM)
    assmat("Léa Martin", places_disponibles=1, disponible_a_partir_du=plus_tard(), mam=mam,
           mam_confirmee_le=timezone.now())
    page = text(client.get(mam.get_absolute_url()).content.decode())
    assert f"Léa Martin — place disponible dès le {en_clair(plus_tard())}" in page
    assert "1 place disponible" not in page


# Open on Saturday -----------------------------------------------------------------------------

SEMAINE = [(j, d) for j in range(Jour.LUNDI, Jour.SAMEDI) for d in (MATIN, APRES_MIDI)]


@pytest.fixture
def samedi(le_puy):
    loin = point_at_km(le_puy.point, 3)
    creche = StructureFactory(nom="Crèche du samedi", creche=True, point=loin)
    HoraireFactory(structure=creche, jour=Jour.SAMEDI, ouverture=datetime.time(8), fermeture=datetime.time(13))
    HoraireFactory(structure=StructureFactory(nom="Crèche de semaine", creche=True, point=loin))
    return {
        "samedi matin": assmat("Travaille le samedi matin", travail=[*SEMAINE, (Jour.SAMEDI, MATIN)]),
        "semaine": assmat("Travaille en semaine", travail=SEMAINE),
        "rien": assmat("N'a rien déclaré"),
        "creche": creche,
    }


def test_saturday_finds_the_assistant_who_works_saturday_morning_and_crèches_by_their_hours(le_puy, samedi):
    assert noms(le_puy.point, ouvert_samedi=True) == {"Travaille le samedi matin", "Crèche du samedi"}
    assert noms(le_puy.point, ouvert_samedi=True, rubriques=[Rubrique.ASSMAT]) == {"Travaille le samedi matin"}


def test_saturday_is_one_query_for_any_number_of_fiches(le_puy, samedi):
    for i in range(5):
        assmat(f"Autre {i}", travail=[(Jour.SAMEDI, APRES_MIDI)])
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        found = noms(le_puy.point, ouvert_samedi=True)
    assert len(found) == 7 and len(requetes) == 1


def test_the_saturday_filter_on_the_page_and_the_api(client, le_puy, samedi):
    html = client.get("/recherche/", {"code_insee": "43157", "ouvert_samedi": "1", "rubrique": "ASSMAT"}).content.decode()
    assert "Travaille le samedi matin" in html and "Travaille en semaine" not in html
    api = client.get("/api/structures/", {"commune": "43157", "ouvert_samedi": "1"}).json()
    assert {f["properties"]["nom"] for f in api["features"]} == {"Travaille le samedi matin", "Crèche du samedi"}


def test_one_fiche_is_open_on_saturday_by_the_same_rule(samedi):
    ouverts = set(Structure.objects.ouverts_le(Jour.SAMEDI).values_list("pk", flat=True))
    assert {s.pk for s in Structure.objects.all() if s.ouvert_le_samedi} == ouverts


# The assistant maternel's days on their fiche and in the API ------------------------------------


def test_the_fiche_shows_the_working_days_in_words_and_in_a_table(client, le_puy):
    fiche = assmat("Sandrine Roux", travail=[(Jour.LUNDI, MATIN), (Jour.LUNDI, APRES_MIDI), (Jour.MARDI, MATIN),
                                             (Jour.JEUDI, APRES_MIDI), (Jour.SAMEDI, MATIN)])
    html = client.get(fiche.get_absolute_url()).content.decode()
    assert "Travaille le lundi, mardi matin, jeudi après-midi et samedi matin." in text(html)
    table = lxml.html.fromstring(html).xpath("//table[caption='Demi-journées de travail']")[0]
    assert [th.text_content() for th in table.xpath(".//thead//th")] == ["Jour", "Matin", "Après-midi"]
    rows = [[c.text_content() for c in tr.xpath("./th|./td")] for tr in table.xpath(".//tbody/tr")]
    assert rows == [["Lundi", "oui", "oui"], ["Mardi", "oui", "non"], ["Mercredi", "non", "non"],
                    ["Jeudi", "non", "oui"], ["Vendredi", "non", "non"], ["Samedi", "oui", "non"]]
    assert all(th.get("scope") == "row" for th in table.xpath(".//tbody//th"))


def test_a_fiche_without_working_days_says_so(client, le_puy):
    page = text(client.get(assmat("Sans jours").get_absolute_url()).content.decode())
    assert "Jours de travail non renseignés : contactez l'assistant maternel." in page
    assert "Horaires non renseignés" not in page


def test_a_creche_keeps_its_opening_hours(client, samedi):
    page = text(client.get(samedi["creche"].get_absolute_url()).content.decode())
    assert "Jours et horaires d'ouverture" in page and "Samedi08h00 – 13h00" in page  # a row: day, hours
    assert "Jours de travail" not in page


def test_the_api_gives_the_working_half_days(client, le_puy):
    fiche = assmat("Karine Boyer", travail=[(Jour.MERCREDI, MATIN), (Jour.SAMEDI, MATIN)])
    properties = client.get(f"/api/structures/{fiche.pk}/").json()["properties"]
    assert properties["creneaux_travailles"] == [{"jour": "Mercredi", "demi_journee": "matin"},
                                                 {"jour": "Samedi", "demi_journee": "matin"}]


def test_the_half_days_with_a_place_are_worked_too(le_puy):
    fiche = assmat("Julie Lacoste")
    CreneauDisponible.objects.create(structure=fiche, jour=Jour.SAMEDI, demi_journee=MATIN)
    assert services.declarer_jours_de_travail(structure=fiche, creneaux=[(Jour.LUNDI, MATIN)])
    assert [str(c) for c in fiche.creneaux_travailles.all()] == ["Lundi matin", "Samedi matin"]
    assert not services.declarer_jours_de_travail(structure=fiche, creneaux=[(Jour.LUNDI, MATIN)])
    with pytest.raises(ValueError):
        services.declarer_jours_de_travail(structure=StructureFactory(creche=True), creneaux=[])


def test_the_migration_keeps_what_was_known_of_the_days(le_puy):
    """Before the working half-days, an assistant's days were their opening hours (set by the CAF) and the half-days
    where they had a place: the migration turns both into working half-days; a crèche's hours stay hours."""
    fiche = assmat("Avant la migration")
    Horaire.objects.bulk_create([
        Horaire(structure=fiche, jour=Jour.LUNDI, ouverture=datetime.time(7), fermeture=datetime.time(19)),
        Horaire(structure=fiche, jour=Jour.MARDI, ouverture=datetime.time(8), fermeture=datetime.time(12)),
        Horaire(structure=fiche, jour=Jour.MERCREDI, ouverture=datetime.time(13, 30), fermeture=datetime.time(18)),
    ])
    CreneauDisponible.objects.create(structure=fiche, jour=Jour.SAMEDI, demi_journee=MATIN)
    CreneauDisponible.objects.create(structure=fiche, jour=Jour.LUNDI, demi_journee=MATIN)
    creche = StructureFactory(creche=True)
    HoraireFactory(structure=creche, jour=Jour.SAMEDI)

    migration = importlib.import_module("structures.migrations.0015_creneaux_travailles")
    migration.jours_connus(apps, type("SchemaEditor", (), {"connection": connection})())

    assert [str(c) for c in fiche.creneaux_travailles.all()] == [
        "Lundi matin", "Lundi après-midi", "Mardi matin", "Mercredi après-midi", "Samedi matin"]
    assert not CreneauTravaille.objects.filter(structure=creche).exists()
