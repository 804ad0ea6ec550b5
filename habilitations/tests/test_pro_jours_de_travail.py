"""/pro/: an assistant maternel declares the half-days they work apart from those where they have a place; families
see their days on the fiche, find them with "Ouvert le samedi", and a place announced for later is not "now"."""

import datetime

import lxml.html
import pytest

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

# The dates below are written by hand: the clock is set to the tests' day (1 December 2026).
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

FICHE = {
    "presentation": "", "telephone": "06 12 34 56 78", "age_min_mois": "3", "age_max_mois": "36", "capacite": "4",
    "places_disponibles": "1", "disponible_a_partir_du": "", "animaux": "", "langues": "", "pedagogie": "",
}
SEMAINE = [f"{jour}-{demi}" for jour in range(1, 6) for demi in ("matin", "apres_midi")]


@pytest.fixture
def nathalie(client):
    CommuneFactory(code_insee="43157")
    fiche = StructureFactory(nom="Nathalie Roux", rubrique=Rubrique.ASSMAT, capacite=4, places_disponibles=0)
    client.force_login(make_person(Role.ASSMAT, structure=fiche, email="nathalie@example.fr"))
    return fiche


def enregistrer(client, fiche, **valeurs):
    response = client.post(f"/pro/structures/{fiche.pk}/", {**FICHE, **valeurs})
    assert response.status_code == 302, response.content.decode()[:3000]


def trouvees(client, **filtres) -> str:
    return client.get("/recherche/", {"code_insee": "43157", "rubrique": "ASSMAT", **filtres}).content.decode()


def test_the_form_asks_for_working_half_days_apart_from_those_with_a_place(client, nathalie):
    page = lxml.html.fromstring(client.get(f"/pro/structures/{nathalie.pk}/").content.decode())
    legendes = [" ".join(legend.text_content().split()) for legend in page.xpath("//fieldset/legend")]
    assert legendes[0].startswith("Demi-journées où vous travaillez Vos jours de travail, affichés sur votre fiche.")
    assert "Demi-journées où vous avez une place" in legendes
    for champ in ("creneaux_travailles", "creneaux"):
        fieldset = page.get_element_by_id(champ)
        assert page.get_element_by_id(fieldset.get("aria-labelledby")).tag == "legend"
        assert len(fieldset.xpath(".//input[@type='checkbox']")) == 12  # Monday to Saturday, morning and afternoon
        for box in fieldset.xpath(".//input[@type='checkbox']"):
            assert fieldset.xpath(f".//label[@for='{box.get('id')}']")


def test_saturday_morning_declared_is_found_on_saturday_and_shown_on_the_fiche(client, nathalie):
    enregistrer(client, nathalie, creneaux_travailles=[*SEMAINE[:2], "2-matin", "6-matin"])
    assert "Nathalie Roux" in trouvees(client, ouvert_samedi="1")
    page = " ".join(lxml.html.fromstring(client.get(f"/structures/{nathalie.pk}/").content.decode()).text_content().split())
    assert "Travaille le lundi, mardi matin et samedi matin." in page
    # Checked again when the form comes back.
    form = lxml.html.fromstring(client.get(f"/pro/structures/{nathalie.pk}/").content.decode())
    assert form.xpath("//fieldset[@id='creneaux_travailles']//input[@value='6-matin']/@checked")

    enregistrer(client, nathalie, creneaux_travailles=SEMAINE)
    assert "Nathalie Roux" not in trouvees(client, ouvert_samedi="1")
    assert "Nathalie Roux" in trouvees(client)


def test_a_saturday_with_a_place_is_a_saturday_worked(client, nathalie):
    enregistrer(client, nathalie, creneaux_travailles=SEMAINE, creneaux=["6-matin"])
    nathalie.refresh_from_db()
    assert [str(c) for c in nathalie.creneaux_travailles.all()][-1] == "Samedi matin"
    assert "Nathalie Roux" in trouvees(client, ouvert_samedi="1")


def test_a_place_from_january_is_not_a_place_now_but_the_fiche_announces_it(client, nathalie):
    enregistrer(client, nathalie, disponible_a_partir_du="2027-01-04")
    assert "Nathalie Roux" not in trouvees(client, places_disponibles="1")
    html = trouvees(client)
    assert "Nathalie Roux" in html and "Place disponible dès le 4 janvier 2027" in html
    assert "Place disponible dès le 4 janvier 2027" in client.get(f"/structures/{nathalie.pk}/").content.decode()
    api = client.get("/api/structures/", {"commune": "43157", "places_disponibles": "1"}).json()
    assert api["features"] == []


def test_on_the_day_the_place_opens_it_is_a_place_now(client, nathalie, time_machine):
    enregistrer(client, nathalie, disponible_a_partir_du="2027-01-04")
    time_machine.move_to(datetime.datetime(2027, 1, 4, 8, 0, tzinfo=JOUR_DES_TESTS.tzinfo))
    assert "Nathalie Roux" in trouvees(client, places_disponibles="1")
    assert "Place disponible dès maintenant" in client.get(f"/structures/{nathalie.pk}/").content.decode()
