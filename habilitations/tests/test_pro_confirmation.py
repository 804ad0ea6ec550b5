"""/pro/: a crèche's places by age group and a micro-crèche's price, an assistant maternel's salary and allowances,
and "Enregistrer et confirmer toute ma fiche" (issue 24, §2 and §5)."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.core import mail
from django.utils import timezone

from habilitations.enums import Role
from habilitations.tasks import remind_stale_availability
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique, TypeAccueil
from structures.models import Structure
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

HORAIRES_VIDES = {"horaires-TOTAL_FORMS": "0", "horaires-INITIAL_FORMS": "0", "horaires-MIN_NUM_FORMS": "0",
                  "horaires-MAX_NUM_FORMS": "1000"}
CRECHE = {"presentation": "Une crèche.", "telephone": "04 71 02 03 04", "email": "", "site_web": "",
          "places_disponibles": "3", **HORAIRES_VIDES}
ASSMAT = {"presentation": "", "telephone": "06 12 34 56 78", "age_min_mois": "3", "age_max_mois": "36",
          "capacite": "4", "places_disponibles": "1", "disponible_a_partir_du": "", "animaux": "", "langues": "",
          "pedagogie": ""}


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


@pytest.fixture
def creche(le_puy):
    return StructureFactory(nom="Multi-accueil Les Lutins", creche=True, capacite=20, commune=le_puy,
                            places_disponibles=0, places_mises_a_jour_le=None)


@pytest.fixture
def directrice(client, creche):
    person = make_person(Role.GESTIONNAIRE, structure=creche, email="directrice@lutins.example.fr")
    client.force_login(person)
    return person


@pytest.fixture
def assistante(client, le_puy):
    fiche = StructureFactory(nom="Nathalie Roux", rubrique=Rubrique.ASSMAT, capacite=4, commune=le_puy)
    client.force_login(make_person(Role.ASSMAT, structure=fiche, email="nathalie@example.fr"))
    return fiche


def a_l_instant(moment) -> bool:
    return moment is not None and abs(timezone.now() - moment) < datetime.timedelta(minutes=1)


def texte(response) -> str:
    return " ".join(lxml.html.fromstring(response.content.decode()).text_content().split())


def erreurs(response) -> list[str]:
    doc = lxml.html.fromstring(response.content.decode())
    return [" ".join(e.text_content().split()) for e in doc.xpath("//*[contains(@class, 'fr-error-text') "
                                                                  "or contains(@class, 'fr-message--error')]")]


def test_a_creche_sets_its_places_by_age_in_a_fieldset_and_they_are_dated(client, directrice, creche):
    html = client.get(f"/pro/structures/{creche.pk}/").content.decode()
    doc = lxml.html.fromstring(html)
    legend = doc.xpath("//fieldset[@id='places-par-age']/legend")[0].text_content()
    assert "Places disponibles par âge" in legend and "3 mois" in legend and "à confirmer" in legend
    for name, label in (("places_bebes", "Bébés (moins de 18 mois)"), ("places_moyens", "Moyens (de 18 à 30 mois)"),
                        ("places_grands", "Grands (plus de 30 mois)")):
        assert label in doc.xpath(f"//label[@for='id_{name}']")[0].text_content()
        assert doc.xpath(f"//fieldset[@id='places-par-age']//input[@name='{name}']")
    assert "tarif_horaire" not in html, "une crèche PSU suit le barème : pas de prix à saisir"

    longtemps = timezone.now() - datetime.timedelta(days=200)
    Structure.objects.filter(pk=creche.pk).update(places_mises_a_jour_le=longtemps,
                                                  disponibilite_mise_a_jour_le=longtemps)
    response = client.post(f"/pro/structures/{creche.pk}/", {**CRECHE, "places_disponibles": "0",
                                                             "places_bebes": "2", "places_moyens": "0",
                                                             "places_grands": "1"})
    assert response.status_code == 302
    creche.refresh_from_db()
    assert (creche.places_bebes, creche.places_moyens, creche.places_grands) == (2, 0, 1)
    assert a_l_instant(creche.places_mises_a_jour_le) and a_l_instant(creche.disponibilite_mise_a_jour_le)
    assert creche.informations_confirmees_le is None, "enregistrer n'est pas confirmer toute la fiche"


def test_places_by_age_are_not_negative_and_do_not_exceed_the_capacity(client, directrice, creche):
    response = client.post(f"/pro/structures/{creche.pk}/", {**CRECHE, "places_bebes": "-1"})
    assert response.status_code == 400
    assert "Le nombre de places ne peut pas être négatif." in erreurs(response)

    response = client.post(f"/pro/structures/{creche.pk}/", {**CRECHE, "places_bebes": "10", "places_moyens": "8",
                                                             "places_grands": "5"})
    assert response.status_code == 400
    message = ("Les places par âge (23 au total) dépassent la capacité d'accueil de la crèche (20 places). "
               "Corrigez les nombres, ou demandez à votre CAF de mettre à jour la capacité.")
    assert message in erreurs(response)
    doc = lxml.html.fromstring(response.content.decode())
    fieldset = doc.xpath("//fieldset[@id='places-par-age']")[0]
    assert "fr-fieldset--error" in fieldset.get("class")
    assert fieldset.get("aria-describedby") == "places-par-age-messages"
    creche.refresh_from_db()
    assert creche.places_bebes is None


def test_without_a_known_capacity_any_number_of_places_by_age_is_accepted(client, directrice, creche):
    Structure.objects.filter(pk=creche.pk).update(capacite=None)
    response = client.post(f"/pro/structures/{creche.pk}/", {**CRECHE, "places_bebes": "30"})
    assert response.status_code == 302


def test_a_relais_has_no_places_by_age_and_cannot_post_them(client, le_puy):
    relais = StructureFactory(nom="Relais du Velay", rubrique=Rubrique.RPE, commune=le_puy, places_disponibles=None)
    client.force_login(make_person(Role.GESTIONNAIRE, structure=relais, email="relais@example.fr"))
    assert "places_bebes" not in client.get(f"/pro/structures/{relais.pk}/").content.decode()
    client.post(f"/pro/structures/{relais.pk}/", {**CRECHE, "places_disponibles": "", "places_bebes": "3",
                                                  "tarif_horaire": "9"})
    relais.refresh_from_db()
    assert relais.places_bebes is None and relais.tarif_horaire is None


def test_a_micro_creche_outside_the_psu_sets_its_hourly_price(client, le_puy):
    micro = StructureFactory(nom="Micro-crèche Les Oursons", rubrique=Rubrique.EAJE, capacite=12, commune=le_puy,
                             type_accueil=TypeAccueil.MICRO_CRECHE, financement_psu=False)
    client.force_login(make_person(Role.GESTIONNAIRE, structure=micro, email="oursons@example.fr"))
    doc = lxml.html.fromstring(client.get(f"/pro/structures/{micro.pk}/").content.decode())
    assert "Prix d'une heure d'accueil (€)" in doc.xpath("//label[@for='id_tarif_horaire']")[0].text_content()

    for typed, message in (("0", "Indiquez un prix horaire supérieur à 0 € et d'au plus 20 €."),
                           ("95", "Indiquez un prix horaire supérieur à 0 € et d'au plus 20 €."),
                           ("9,5x", "Saisissez un montant en euros, par exemple 4,50.")):
        response = client.post(f"/pro/structures/{micro.pk}/", {**CRECHE, "tarif_horaire": typed})
        assert response.status_code == 400 and message in erreurs(response), typed
    assert client.post(f"/pro/structures/{micro.pk}/", {**CRECHE, "tarif_horaire": "9,50"}).status_code == 302
    micro.refresh_from_db()
    assert micro.tarif_horaire == Decimal("9.50")


def test_an_assistant_maternel_sets_salary_allowance_and_meal_price(client, assistante):
    html = client.get(f"/pro/structures/{assistante.pk}/").content.decode()
    doc = lxml.html.fromstring(html)
    for name, label in (("tarif_horaire", "Salaire horaire net (€)"),
                        ("indemnite_entretien", "Indemnité d'entretien (€ par jour)"),
                        ("prix_repas", "Prix d'un repas (€), vide si les parents le fournissent")):
        assert label in doc.xpath(f"//label[@for='id_{name}']")[0].text_content(), name
        assert doc.xpath(f"//input[@id='id_{name}']/@inputmode") == ["decimal"]

    response = client.post(f"/pro/structures/{assistante.pk}/", {
        **ASSMAT, "tarif_horaire": "4,85", "indemnite_entretien": "4.10", "prix_repas": ""})
    assert response.status_code == 302
    assistante.refresh_from_db()
    assert (assistante.tarif_horaire, assistante.indemnite_entretien, assistante.prix_repas) == (
        Decimal("4.85"), Decimal("4.10"), None)


@pytest.mark.parametrize(("champ", "saisie", "message"), [
    ("tarif_horaire", "0", "Indiquez un salaire horaire net supérieur à 0 € et d'au plus 30 €."),
    ("tarif_horaire", "485", "Indiquez un salaire horaire net supérieur à 0 € et d'au plus 30 €."),
    ("tarif_horaire", "-4", "Indiquez un salaire horaire net supérieur à 0 € et d'au plus 30 €."),
    ("indemnite_entretien", "51", "Indiquez une indemnité d'entretien comprise entre 0 et 50 € par jour."),
    ("indemnite_entretien", "-1", "Indiquez une indemnité d'entretien comprise entre 0 et 50 € par jour."),
    ("prix_repas", "31", "Indiquez un prix de repas compris entre 0 et 30 €, ou laissez vide si les parents "
                         "fournissent les repas."),
    ("prix_repas", "quatre", "Saisissez un montant en euros, par exemple 4,50."),
])
def test_implausible_amounts_are_refused_in_french(client, assistante, champ, saisie, message):
    response = client.post(f"/pro/structures/{assistante.pk}/", {**ASSMAT, champ: saisie})
    assert response.status_code == 400
    assert message in erreurs(response)
    assert saisie in response.content.decode(), "ce qui a été saisi reste affiché"


def test_one_click_confirms_the_whole_fiche(client, directrice, creche):
    longtemps = timezone.now() - datetime.timedelta(days=200)
    Structure.objects.filter(pk=creche.pk).update(
        places_mises_a_jour_le=longtemps, disponibilite_mise_a_jour_le=longtemps,
        rappel_disponibilite_envoye_le=longtemps, informations_confirmees_le=None)
    html = texte(client.get(f"/pro/structures/{creche.pk}/"))
    assert "Votre fiche n'a encore jamais été confirmée." in html
    assert "Enregistrer et confirmer mes disponibilités" not in html

    # Nothing changed: the click alone says the whole fiche is right.
    response = client.post(f"/pro/structures/{creche.pk}/", {**CRECHE, "places_disponibles": "0", "confirmer": "1"},
                           follow=True)
    assert "Votre fiche est à jour et confirmée aujourd'hui." in texte(response)
    creche.refresh_from_db()
    assert a_l_instant(creche.informations_confirmees_le)
    assert creche.places_mises_a_jour_le == creche.disponibilite_mise_a_jour_le == creche.informations_confirmees_le
    assert creche.rappel_disponibilite_envoye_le is None
    assert "Dernière confirmation : le 1er décembre 2026." in texte(client.get(f"/pro/structures/{creche.pk}/"))


def test_the_pro_home_says_when_each_fiche_was_confirmed(client, directrice, creche, le_puy):
    autre = StructureFactory(nom="Micro-crèche Les Oursons", creche=True, commune=le_puy,
                             informations_confirmees_le=datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC))
    ancienne = StructureFactory(nom="Crèche Les Galipettes", creche=True, commune=le_puy,
                                informations_confirmees_le=datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC))
    for fiche in (autre, ancienne):
        directrice.affectations.create(role=Role.GESTIONNAIRE, structure=fiche)
    doc = lxml.html.fromstring(client.get("/pro/").content.decode())
    texte = {" ".join(card.xpath(".//h3")[0].text_content().split()):
             " ".join(card.xpath(".//p[@class='confirmation-fiche']")[0].text_content().split())
             for card in doc.xpath("//div[contains(@class, 'fr-card')]")}
    assert texte["Multi-accueil Les Lutins"].startswith("Informations jamais confirmées")
    assert texte["Micro-crèche Les Oursons"] == "Informations confirmées le 3 novembre 2026."
    assert texte["Crèche Les Galipettes"] == "Informations confirmées le 1er juin 2026 : plus de 3 mois, confirmez-les."


@pytest.mark.usefixtures("commits")  # the outbox sends after the commit
def test_the_reminder_reads_the_confirmation_of_the_whole_fiche_too(creche, le_puy):
    make_person(Role.GESTIONNAIRE, structure=creche, email="directrice@lutins.example.fr")
    longtemps = timezone.now() - datetime.timedelta(days=100)
    hier = timezone.now() - datetime.timedelta(days=1)
    # Places declared long ago, but the whole fiche confirmed yesterday: nothing to remind.
    Structure.objects.filter(pk=creche.pk).update(places_mises_a_jour_le=longtemps, informations_confirmees_le=hier)
    assert remind_stale_availability() == 0
    # A fiche without places (a relais), confirmed long ago: reminded.
    relais = StructureFactory(nom="Relais du Velay", rubrique=Rubrique.RPE, commune=le_puy, places_disponibles=None,
                              informations_confirmees_le=longtemps)
    make_person(Role.GESTIONNAIRE, structure=relais, email="relais@example.fr")
    # Never dated at all: no reminder (not a mailing to every fiche at once).
    jamais = StructureFactory(nom="LAEP La Parenthèse", rubrique=Rubrique.LAEP, commune=le_puy,
                              places_disponibles=None)
    make_person(Role.GESTIONNAIRE, structure=jamais, email="laep@example.fr")
    assert remind_stale_availability() == 1
    assert [m.to for m in mail.outbox] == [["relais@example.fr"]]
    assert "Enregistrer et confirmer toute ma fiche" in mail.outbox[0].body
