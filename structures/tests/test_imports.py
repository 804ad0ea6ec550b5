"""The reference geography, imported from ../shared/data and the npm package, as `make run` does."""

import datetime
import io

import pytest
from django.core.management import call_command

from structures.demo import build_demo
from structures.imports import page_caf_fr
from structures.models import Caf, CodeInseeAncien, Commune, Departement, Structure

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


def test_import_reads_real_communes_with_population_postal_codes_and_points():
    call_command("import_geographie", "--departements", "43", "75", "15", stdout=io.StringIO())

    le_puy = Commune.objects.get(code_insee="43157")
    assert le_puy.nom == "Le Puy-en-Velay"
    assert le_puy.liste_codes_postaux == ["43000"]
    assert le_puy.population > 15000
    assert le_puy.point.y == pytest.approx(45.03, abs=0.01)
    assert Commune.objects.filter(departement="43").count() > 250
    # Paris and its 20 arrondissements municipaux, each pointing to Paris.
    assert Commune.objects.get(code_insee="75116").commune_parente_id == "75056"
    assert Commune.objects.filter(commune_parente="75056").count() == 20
    # A commune missing from the 2022 file still gets a point (here: Celles, Cantal, restored later).
    assert Commune.objects.get(code_insee="15031").point is not None
    assert Caf.objects.get(departement="43").nom == "Caf de la Haute-Loire"
    assert Departement.objects.get(code="43").chef_lieu_id == "43157"


def test_import_is_idempotent_and_keeps_what_the_cnaf_edited():
    call_command("import_geographie", "--departements", "43", stdout=io.StringIO())
    caf = Caf.objects.get(departement="43")
    assert caf.page_caf_fr == "https://www.caf.fr/allocataires/caf-de-la-haute-loire"
    caf.email_habilitations = "linf@caf43.example.fr"
    caf.page_caf_fr = "https://www.caf.fr/allocataires/caf-de-la-haute-loire/contacter-ma-caf"
    caf.save()
    count = Commune.objects.count()

    call_command("import_geographie", "--departements", "43", stdout=io.StringIO())

    assert Commune.objects.count() == count
    assert Caf.objects.get(departement="43").email_habilitations == "linf@caf43.example.fr"
    assert Caf.objects.get(departement="43").page_caf_fr.endswith("/contacter-ma-caf"), "an edited page is kept"


def test_full_import_has_every_departement_and_commune():
    call_command("import_geographie", stdout=io.StringIO())
    assert Departement.objects.count() == 101
    assert Caf.objects.count() == 101
    assert not Caf.objects.filter(page_caf_fr="").exists(), "every CAF has its page on caf.fr"
    assert Commune.objects.count() > 34_900
    assert not Commune.objects.filter(point__isnull=True).exists()
    assert Commune.objects.filter(departement__in=["971", "972", "973", "974", "976"]).count() == 129
    # Former INSEE codes lead to the commune that absorbed them (lists made before a merger carry them).
    assert CodeInseeAncien.objects.get(code_insee="74011").commune_id == "74010"  # Annecy-le-Vieux → Annecy
    assert CodeInseeAncien.objects.get(code_insee="43255").commune_id == "43090"  # → Esplantas-Vazeilles
    # Guyane's vast communes reach further than 30 km from their point; Le Puy does not.
    maripasoula = Commune.objects.get(code_insee="97353")
    assert maripasoula.distance_max_km > 60
    assert Commune.objects.get(code_insee="43157").distance_max_km == 30
    assert Commune.objects.filter(etendue_km__isnull=False).exclude(departement="973").count() < 60


def test_demo_directory_is_idempotent_and_covers_every_rubrique_around_le_puy_and_pau():
    call_command("import_geographie", "--departements", "43", "64", stdout=io.StringIO())
    build_demo()
    champs = ("pk", "nom", "places_disponibles", "places_bebes", "places_moyens", "places_grands", "tarif_horaire",
              "indemnite_entretien", "prix_repas", "informations_confirmees_le")
    snapshot = list(Structure.objects.order_by("pk").values_list(*champs))
    build_demo()
    assert list(Structure.objects.order_by("pk").values_list(*champs)) == snapshot
    _demo_has_places_by_age_prices_and_confirmations()
    for departement in ("43", "64"):
        rubriques = set(Structure.objects.filter(commune__departement=departement).values_list("rubrique", flat=True))
        assert rubriques == {"EAJE", "RPE", "LAEP", "ALSH", "ASSMAT", "LINF"}
    # The relais that is also an information place has two fiches at the same address.
    relais = Structure.objects.get(rubrique="RPE", commune="43157")
    linf = Structure.objects.get(rubrique="LINF", commune="43157")
    assert (relais.adresse, relais.point) == (linf.adresse, linf.point)
    assert linf.communes_desservies.count() > 3


def _demo_has_places_by_age_prices_and_confirmations():
    creches = Structure.objects.filter(rubrique="EAJE")
    par_age = creches.filter(places_bebes__isnull=False)
    assert 0 < par_age.count() < creches.count(), "des crèches, pas toutes, donnent leurs places par âge"
    for c in par_age:
        assert c.places_bebes + c.places_moyens + c.places_grands == c.places_disponibles <= c.capacite
    micro = creches.filter(type_accueil="micro_creche")
    assert micro.filter(financement_psu=False).exists()
    assert all(8 <= m.tarif_horaire <= 12 for m in micro.filter(financement_psu=False))
    assert not creches.filter(financement_psu=True, tarif_horaire__isnull=False).exists()
    assistants = Structure.objects.filter(rubrique="ASSMAT")
    assert all(4 <= a.tarif_horaire <= 5.5 and 3.5 <= a.indemnite_entretien <= 4.5 for a in assistants)
    repas = [a.prix_repas for a in assistants if a.prix_repas is not None]
    assert 0 < len(repas) < assistants.count() and all(3 <= r <= 5 for r in repas)
    confirmees = [s.informations_confirmees_le for s in Structure.objects.filter(informations_confirmees_le__isnull=False)]
    demo_now = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    assert all(demo_now - datetime.timedelta(days=183) <= c <= demo_now for c in confirmees)
    assert max(confirmees) - min(confirmees) > datetime.timedelta(days=120), "étalées sur six mois"
    assert assistants.filter(informations_confirmees_le__isnull=True).exists(), "certaines jamais confirmées"


@pytest.mark.parametrize(("nom", "liaison", "page"), [
    ("Haute-Loire", 3, "caf-de-la-haute-loire"), ("Ain", 5, "caf-de-l-ain"), ("Landes", 4, "caf-des-landes"),
    ("Ille-et-Vilaine", 1, "caf-d-ille-et-vilaine"), ("Nord", 2, "caf-du-nord"), ("Paris", 0, "caf-de-paris"),
    ("Bouches-du-Rhône", 4, "caf-des-bouches-du-rhone"), ("Côtes-d'Armor", 4, "caf-des-cotes-d-armor"),
])
def test_the_page_of_a_caf_on_caf_fr_follows_the_name_of_its_departement(nom, liaison, page):
    assert page_caf_fr(Departement(nom=nom, type_liaison=liaison)) == "https://www.caf.fr/allocataires/" + page
