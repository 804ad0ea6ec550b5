"""The public fiche says when its people last confirmed it, a crèche's places by age group (to be confirmed after
three months), an assistant maternel's salary and allowances, a micro-crèche's hourly price (issue 24, §2 and §5)."""

import datetime
import re
from decimal import Decimal

import lxml.html
import pytest

from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique, TypeAccueil
from structures.templatetags.structures_tags import euros
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

LE_1ER_DECEMBRE = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
EN_AOUT = datetime.datetime(2026, 8, 14, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def page(client, fiche) -> lxml.html.HtmlElement:
    response = client.get(f"/structures/{fiche.pk}/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def texte(element) -> str:
    """The text as read, spaces squeezed; the no-break spaces of amounts stay."""
    return re.sub(r"[ \t\r\n]+", " ", element.text_content()).strip()


def confirmation(doc) -> str:
    return texte(doc.get_element_by_id("informations-confirmees"))


def test_the_fiche_says_the_day_its_informations_were_confirmed(client, le_puy):
    fiche = StructureFactory(creche=True, commune=le_puy, informations_confirmees_le=LE_1ER_DECEMBRE)
    assert confirmation(page(client, fiche)) == "Informations confirmées le 1er décembre 2026."


def test_a_confirmation_older_than_three_months_asks_the_family_to_check(client, le_puy):
    fiche = StructureFactory(creche=True, commune=le_puy, informations_confirmees_le=EN_AOUT)
    assert confirmation(page(client, fiche)) == ("Informations confirmées le 14 août 2026 : il y a plus de 3 mois, "
                                                 "vérifiez-les auprès de la structure.")


def test_a_fiche_never_confirmed_says_so(client, le_puy):
    creche = StructureFactory(creche=True, commune=le_puy)
    assistante = StructureFactory(rubrique=Rubrique.ASSMAT, commune=le_puy)
    assert confirmation(page(client, creche)) == "Informations non confirmées par le gestionnaire."
    assert confirmation(page(client, assistante)) == "Informations non confirmées par l'assistant maternel."


def test_a_creche_shows_its_places_by_age_group_declared(client, le_puy):
    fiche = StructureFactory(creche=True, commune=le_puy, places_bebes=2, places_moyens=0, places_grands=None,
                             places_mises_a_jour_le=LE_1ER_DECEMBRE)
    li = page(client, fiche).get_element_by_id("places-par-age")
    assert texte(li).startswith("Places disponibles par âge :")
    assert [texte(g) for g in li.xpath("ul/li")] == ["Bébés (moins de 18 mois) : 2 places",
                                                     "Moyens (de 18 à 30 mois) : 0 place"]


def test_places_by_age_older_than_three_months_are_to_be_confirmed(client, le_puy):
    fiche = StructureFactory(creche=True, commune=le_puy, places_bebes=1, places_mises_a_jour_le=EN_AOUT)
    li = page(client, fiche).get_element_by_id("places-par-age")
    assert texte(li).startswith("Places disponibles par âge (à confirmer : déclarées il y a plus de 3 mois) :")


def test_no_places_by_age_no_line(client, le_puy):
    fiche = StructureFactory(creche=True, commune=le_puy)
    assert not page(client, fiche).xpath("//*[@id='places-par-age']")


def test_an_assistant_maternel_shows_salary_allowance_and_meal(client, le_puy):
    fiche = StructureFactory(rubrique=Rubrique.ASSMAT, commune=le_puy, tarif_horaire=Decimal("4.85"),
                             indemnite_entretien=Decimal("4.1"), prix_repas=Decimal("3.50"))
    conditions = texte(page(client, fiche))
    assert "Salaire horaire net : 4,85\u00a0€" in conditions
    assert "Indemnité d'entretien : 4,10\u00a0€ par jour" in conditions
    assert "Repas : 3,50\u00a0€ par repas" in conditions


def test_an_assistant_maternel_without_prices_shows_none(client, le_puy):
    conditions = texte(page(client, StructureFactory(rubrique=Rubrique.ASSMAT, commune=le_puy)))
    assert "Salaire horaire net" not in conditions and "Indemnité d'entretien" not in conditions


def test_a_micro_creche_outside_the_psu_shows_its_hourly_price(client, le_puy):
    fiche = StructureFactory(rubrique=Rubrique.EAJE, type_accueil=TypeAccueil.MICRO_CRECHE, financement_psu=False,
                             commune=le_puy, tarif_horaire=Decimal("9.5"))
    assert ("Tarif fixé par le gestionnaire (hors barème PSU) : 9,50\u00a0€ de l'heure, avant le complément de libre "
            "choix du mode de garde (CMG) de la CAF.") in texte(page(client, fiche))


def test_euros_as_french_writes_them():
    assert euros(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert euros(None) == ""
