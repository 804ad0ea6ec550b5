"""Back office "Confirmation des fiches": each CAF sees the share of its published fiches confirmed in the last three
months and its 20 least recently confirmed; the CNAF the country and each département; nobody another CAF's fiches."""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests import factories
from structures.tests.factories import CommuneFactory, DepartementFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

PAGE = reverse("admin:structures_structure_confirmations")
PAU = ("64445", "Pau", "64000", 77000, -0.350337918181, 43.3200189773)
HIER = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
EN_OCTOBRE = datetime.datetime(2026, 10, 2, 9, 0, tzinfo=datetime.UTC)
EN_JUIN = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
EN_MARS = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def fiches():
    """43: four published fiches, two confirmed in the last three months, one in June, one never; plus a closed
    fiche and an assistant maternel without consent (neither counts). 64: two, one confirmed in March."""
    factories.COMMUNES.setdefault("64445", PAU[1:])
    DepartementFactory(code="64", nom="Pyrénées-Atlantiques")
    le_puy, pau = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="64445")
    return {
        "43": [
            StructureFactory(nom="Crèche récente", creche=True, commune=le_puy, informations_confirmees_le=HIER),
            StructureFactory(nom="Relais d'octobre", rubrique=Rubrique.RPE, commune=le_puy,
                             informations_confirmees_le=EN_OCTOBRE),
            StructureFactory(nom="Crèche de juin", creche=True, commune=le_puy, informations_confirmees_le=EN_JUIN),
            StructureFactory(nom="Crèche jamais confirmée", creche=True, commune=le_puy),
            StructureFactory(nom="Crèche fermée", creche=True, commune=le_puy, fermee=True),
            StructureFactory(nom="Assistante non publiée", commune=le_puy, consentement_publication_le=None),
        ],
        "64": [
            StructureFactory(nom="Crèche de Pau confirmée en mars", creche=True, commune=pau,
                             informations_confirmees_le=EN_MARS),
            StructureFactory(nom="Crèche de Pau jamais confirmée", creche=True, commune=pau),
        ],
    }


def lire(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def texte(element) -> str:
    return " ".join(element.text_content().split())


def plus_anciennes(doc) -> list[list[str]]:
    return [[texte(c) for c in row.xpath("th|td")] for row in doc.xpath("//table[@id='confirmations-plus-anciennes']/tbody/tr")]


def test_a_caf_sees_its_share_and_its_oldest_fiches_only(client, fiches):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    doc = lire(client.get(PAGE))
    assert texte(doc.get_element_by_id("part-confirmee")) == (
        "Fiches publiées confirmées depuis moins de 3 mois : 50 % (2 sur 4).")
    eaje = Rubrique.EAJE.label
    # To confirm first: the relais confirmed in October and the crèche confirmed yesterday are not.
    assert [r[:4] for r in plus_anciennes(doc)] == [
        ["Crèche jamais confirmée", eaje, "Le Puy-en-Velay (43)", "jamais"],
        ["Crèche de juin", eaje, "Le Puy-en-Velay (43)", "1er juin 2026"],
    ]
    # Each links to its fiche's admin page.
    lien = doc.xpath("//table[@id='confirmations-plus-anciennes']//a")[0].get("href")
    assert lien == reverse("admin:structures_structure_change", args=[fiches["43"][3].pk])
    html = texte(doc)
    assert "Pau" not in html, "les fiches d'une autre CAF n'apparaissent jamais"
    assert not doc.xpath("//table[@id='confirmations-departements']"), "un seul département : pas de tableau"


def test_another_departement_is_a_404_for_a_caf(client, fiches):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    assert client.get(PAGE, {"departement": "64"}).status_code == 404
    assert client.get(PAGE, {"departement": "43"}).status_code == 200
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    doc = lire(client.get(PAGE))
    assert [r[0] for r in plus_anciennes(doc)] == ["Crèche de Pau jamais confirmée", "Crèche de Pau confirmée en mars"]
    assert "Le Puy" not in texte(doc)


def test_when_every_fiche_is_confirmed_the_list_says_so(client, fiches):
    type(fiches["43"][0]).objects.filter(departement="43").update(informations_confirmees_le=HIER)
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    doc = lire(client.get(PAGE))
    assert texte(doc.get_element_by_id("part-confirmee")).endswith("100 % (4 sur 4).")
    assert plus_anciennes(doc) == [["Toutes les fiches publiées sont confirmées depuis moins de 3 mois."]]


def test_the_cnaf_sees_the_country_and_each_departement(client, fiches):
    client.force_login(make_person(Role.CNAF_ADMIN, email="pilotage@cnaf.example.fr"))
    doc = lire(client.get(PAGE))
    assert "France entière" in texte(doc.xpath("//h1")[0])
    assert texte(doc.get_element_by_id("part-confirmee")) == (
        "Fiches publiées confirmées depuis moins de 3 mois : 33 % (2 sur 6).")
    lignes = [[texte(c) for c in row.xpath("th|td")]
              for row in doc.xpath("//table[@id='confirmations-departements']/tbody/tr")]
    assert lignes == [["43 — Haute-Loire", "4", "2", "50 %"], ["64 — Pyrénées-Atlantiques", "2", "0", "0 %"]]
    assert [r[0] for r in plus_anciennes(doc)][:2] == ["Crèche jamais confirmée", "Crèche de Pau jamais confirmée"]
    doc = lire(client.get(PAGE, {"departement": "64"}))
    assert [r[0] for r in plus_anciennes(doc)] == ["Crèche de Pau jamais confirmée", "Crèche de Pau confirmée en mars"]


def test_at_most_twenty_fiches_never_confirmed_first(client, fiches):
    le_puy = fiches["43"][0].commune
    StructureFactory.create_batch(25, creche=True, commune=le_puy, informations_confirmees_le=EN_JUIN)
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    lignes = plus_anciennes(lire(client.get(PAGE)))
    assert len(lignes) == 20 and lignes[0][0] == "Crèche jamais confirmée"
    assert {r[3] for r in lignes[1:]} == {"1er juin 2026"}


def test_the_fiches_list_gives_the_share_and_the_way_to_the_page(client, fiches):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    doc = lire(client.get(reverse("admin:structures_structure_changelist")))
    part = doc.get_element_by_id("part-confirmee")
    assert texte(part).startswith("Fiches publiées confirmées par leur gestionnaire depuis moins de 3 mois : 50 % (2 sur 4)")
    assert PAGE in [a.get("href") for a in part.xpath(".//a")]
    assert PAGE in [a.get("href") for a in doc.xpath("//ul[contains(@class, 'object-tools')]//a")]


def test_nobody_outside_the_back_office_opens_it(client, fiches):
    assert client.get(PAGE).status_code == 302
    client.force_login(make_person(Role.GESTIONNAIRE, structure=fiches["43"][0], email="directrice@example.fr"))
    assert client.get(PAGE).status_code in (302, 403)
