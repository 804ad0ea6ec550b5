"""The public habilitation request form: the list of communes as people paste it, and its help text read aloud."""

import lxml.html
import pytest
from django.urls import reverse

from habilitations.tests.fixtures import submit
from habilitations.workflow import DemandeHabilitation
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]


@pytest.fixture
def brives():
    return CommuneFactory(code_insee="43041")


@pytest.mark.parametrize("communes", [
    "Le Puy-en-Velay\n43089\nBrives-Charensac\n",  # one a line, as copied from a spreadsheet's column
    "Le Puy-en-Velay\r\n\r\n  43089 \r\nBrives-Charensac",  # a browser's line ends, a blank line, spaces
    "Le Puy-en-Velay, 43089; Brives-Charensac",
    "Le Puy-en-Velay,\n43089 ;\nBrives-Charensac,",  # both at once, a trailing separator
    "Le Puy-en-Velay\n43089\nBrives-Charensac\nle puy-en-velay",  # a commune typed twice counts once
])
def test_communes_one_per_line_or_separated_by_commas_or_semicolons(client, linf, brives, communes):
    response = submit(client, linf, communes=communes)
    assert response.status_code == 302, response.content.decode()[:2000]
    demande = DemandeHabilitation.objects.get()
    assert sorted(c.code_insee for c in demande.communes.all()) == ["43041", "43089", "43157"]


def test_an_unknown_commune_on_its_own_line_is_named(client, linf):
    response = submit(client, linf, communes="Le Puy-en-Velay\nPau\nNulle-Part")
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content.decode())
    erreur = page.get_element_by_id("id_communes_error").text_content()
    assert "inconnue(s) : Pau, Nulle-Part" in erreur
    # What was typed stays, line by line.
    assert page.get_element_by_id("id_communes").text_content().strip() == "Le Puy-en-Velay\nPau\nNulle-Part"
    assert not DemandeHabilitation.objects.exists()


def _described_by(page, field_id: str) -> list[str]:
    """The texts a screen reader reads after the field's name: every id its aria-describedby names must exist."""
    field = page.get_element_by_id(field_id)
    ids = field.get("aria-describedby", "").split()
    assert ids, f"{field_id} n'a pas d'aria-describedby"
    missing = [i for i in ids if not page.xpath(f"//*[@id='{i}']")]
    assert not missing, f"aria-describedby de {field_id} nomme des id absents de la page : {missing}"
    return [" ".join(page.get_element_by_id(i).text_content().split()) for i in ids]


def test_the_help_text_of_the_communes_is_tied_to_the_field(client, linf):
    url = reverse("pro:demande_habilitation")
    page = lxml.html.fromstring(client.get(url, {"departement": "43"}).content.decode())
    assert _described_by(page, "id_communes") == [
        "Noms ou codes INSEE, une commune par ligne ou séparées par des virgules. "
        "Par exemple : Le Puy-en-Velay, Espaly-Saint-Marcel, 43041"
    ]
    # Every aria-describedby of the page names ids that exist, not only this one.
    for element in page.xpath("//*[@aria-describedby]"):
        _described_by(page, element.get("id"))


def test_with_an_error_the_field_is_described_by_its_help_text_and_its_error(client, linf):
    page = lxml.html.fromstring(submit(client, linf, communes="Pau").content.decode())
    aide, erreur = _described_by(page, "id_communes")
    assert aide.startswith("Noms ou codes INSEE, une commune par ligne")
    assert erreur.startswith("Hors du territoire de la Caf de la Haute-Loire ou inconnue(s) : Pau")
    assert page.get_element_by_id("id_communes").get("aria-invalid") == "true"
