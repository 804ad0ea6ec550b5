"""A family saves its need with an email address: after confirming it (double opt-in), one email when a place that
fits opens near it, within the hour, never twice for the same place, at most one a day; a link stops it; six
months later it is gone. Dates are computed from today: these tests hold on any day."""

import datetime
import html
import importlib
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from familles import services
from familles.enums import EvenementUsage
from familles.models import Alerte, PlaceSignalee
from guide.seed_pages_legales import REMPLACEMENTS_BESOIN_ET_ALERTES
from guide.tests.pages_legales import verifier_la_migration_du_texte
from habilitations.services import update_fiche
from notifications.models import Notification
from structures.models import CompteurUsage, CreneauDisponible, DemiJournee
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]


def texte(response) -> str:
    return html.unescape(response.content.decode())


def debut() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=60)


@pytest.fixture(autouse=True)
def _limites_remises_a_zero():
    """The creation limit counts per address in the cache, which outlives a test."""
    cache.clear()


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def assmat_sans_place(le_puy, km=2, nom="Assistante du Breuil"):
    assmat = StructureFactory(nom=nom, point=point_at_km(le_puy.point, km), age_min_mois=0, age_max_mois=36,
                              places_disponibles=0, places_mises_a_jour_le=timezone.now() - datetime.timedelta(days=5))
    for jour in range(1, 6):
        for demi in DemiJournee:
            CreneauDisponible.objects.create(structure=assmat, jour=jour, demi_journee=demi)
    return assmat


def rechercher_avec_un_besoin(client, le_puy):
    client.post(reverse("structures:recherche"), {
        "commune": "Le Puy-en-Velay (43000)", "code_insee": le_puy.code_insee, "age_enfant": "4",
        "debut": debut().isoformat(), "jours": ["1", "2", "3", "4", "5"], "heure_debut": "08:00",
        "heure_fin": "18:00", "ressources": "3000", "enfants": "2"})


def creer_alerte(client, le_puy, email="famille@example.fr"):
    return client.post(f"{reverse('familles:creer')}?code_insee={le_puy.code_insee}&rayon_km=10", {"email": email})


def lien(corps: str, nom: str) -> str:
    return re.search(rf"https?://\S+/alertes/\S+/{nom}/", corps).group(0).split("://", 1)[1].split("/", 1)[1]


def confirmer(client) -> Alerte:
    corps = mail.outbox[-1].body
    chemin = "/" + lien(corps, "confirmer")
    page = client.get(chemin)
    assert "Confirmer mon alerte" in texte(page)
    assert Alerte.objects.get().confirmee_le is None  # a mail scanner following the link confirms nothing
    client.post(chemin)
    return Alerte.objects.get()


def test_an_alert_is_made_from_a_ranked_search_and_confirmed_by_its_address(client, le_puy):
    rechercher_avec_un_besoin(client, le_puy)
    response = creer_alerte(client, le_puy)
    assert response.status_code == 200
    assert "Un courriel vient d'être envoyé à famille@example.fr" in texte(response)
    alerte = Alerte.objects.get()
    # The need without the resources: an alert needs none.
    assert "ressources" not in alerte.besoin and alerte.besoin["jours"] == "1,2,3,4,5"
    assert mail.outbox[-1].subject == "Confirmez votre alerte de place sur monenfant"
    assert "Enfant de" in mail.outbox[-1].body and "du lundi au vendredi" in mail.outbox[-1].body
    alerte = confirmer(client)
    assert alerte.confirmee_le is not None


@pytest.mark.parametrize(("email", "message"), [
    ("pas-une-adresse", "Saisissez une adresse électronique valide"), ("", "Indiquez votre adresse électronique."),
])
def test_a_bad_address_gets_a_french_message_and_no_alert(client, le_puy, email, message):
    rechercher_avec_un_besoin(client, le_puy)
    response = creer_alerte(client, le_puy, email)
    assert response.status_code == 400 and message in texte(response)
    assert not Alerte.objects.exists()


def test_without_a_need_no_alert_is_made(client, le_puy):
    response = creer_alerte(client, le_puy)
    assert response.status_code == 400
    assert "Indiquez d'abord votre besoin" in texte(response)
    assert client.post(f"{reverse('familles:creer')}?code_insee=ZZZZZ", {"email": "a@b.fr"}).status_code == 400


@pytest.mark.postgis  # the search that finds the places, on both databases
def test_one_email_when_a_place_that_fits_opens_never_twice_for_it_and_at_most_one_a_day(client, le_puy):
    assmat = assmat_sans_place(le_puy)
    loin = assmat_sans_place(le_puy, km=30, nom="Assistante trop loin")
    rechercher_avec_un_besoin(client, le_puy)
    creer_alerte(client, le_puy)
    alerte = confirmer(client)
    mail.outbox.clear()
    assert services.envoyer_les_alertes() == 0  # nothing opened yet

    update_fiche(structure=assmat, valeurs={"places_disponibles": 1})
    update_fiche(structure=loin, valeurs={"places_disponibles": 1})
    assert services.envoyer_les_alertes() == 1
    assert len(mail.outbox) == 1
    courriel = mail.outbox[0]
    assert courriel.subject == "Une place qui vous convient s'est libérée"
    assert "Assistante du Breuil" in courriel.body and "Assistante trop loin" not in courriel.body
    assert f"/structures/{assmat.pk}/" in courriel.body

    autre = assmat_sans_place(le_puy, km=3, nom="Deuxième assistante")
    update_fiche(structure=autre, valeurs={"places_disponibles": 2})
    assert services.envoyer_les_alertes() == 0  # the same day: waits
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert services.envoyer_les_alertes() == 1
        assert "Deuxième assistante" in mail.outbox[-1].body and "Assistante du Breuil" not in mail.outbox[-1].body
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        update_fiche(structure=assmat, valeurs={"places_disponibles": 3})  # raised again: the same place
        assert services.envoyer_les_alertes() == 0
    assert PlaceSignalee.objects.filter(alerte=alerte).count() == 2
    # Counted for the usage statistics, with no person in the count.
    comptes = CompteurUsage.objects.filter(evenement=EvenementUsage.ALERTE_ENVOYEE)
    assert sum(c.nombre for c in comptes) == 2
    assert {(c.departement_id, c.structure_id, c.cle) for c in comptes} == {("43", None, "")}


def test_an_unconfirmed_alert_sends_nothing(client, le_puy):
    assmat = assmat_sans_place(le_puy)
    rechercher_avec_un_besoin(client, le_puy)
    creer_alerte(client, le_puy)
    update_fiche(structure=assmat, valeurs={"places_disponibles": 1})
    assert services.envoyer_les_alertes() == 0


def test_the_link_stops_and_destroys_the_alert_and_its_emails(client, le_puy):
    rechercher_avec_un_besoin(client, le_puy)
    creer_alerte(client, le_puy)
    alerte = confirmer(client)
    chemin = "/" + lien(mail.outbox[0].body, "arreter")
    assert client.get(chemin).status_code == 200
    assert Alerte.objects.exists()  # GET shows the button only
    response = client.post(chemin)
    assert "Votre alerte est arrêtée" in texte(response)
    assert not Alerte.objects.exists()
    assert not Notification.objects.filter(objet=f"alerte:{alerte.pk}").exists()
    assert client.get(chemin).status_code == 404


@pytest.mark.parametrize("jeton", ["inconnu", "x" * 500, "é" * 10, "%00", "a" * 30 + "%00"])
@pytest.mark.postgis  # PostgreSQL refuses a NUL in a text: it must never reach it
def test_an_unknown_or_crafted_token_is_404(client, jeton):
    assert client.get(f"/alertes/{jeton}/confirmer/").status_code == 404
    assert client.post(f"/alertes/{jeton}/arreter/").status_code == 404


def test_alerts_are_forgotten_after_a_week_unconfirmed_and_six_months_confirmed(client, le_puy):
    rechercher_avec_un_besoin(client, le_puy)
    creer_alerte(client, le_puy, "a@example.fr")
    creer_alerte(client, le_puy, "b@example.fr")
    Alerte.objects.filter(email="b@example.fr").update(confirmee_le=timezone.now())
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert services.purger() == 1
    assert list(Alerte.objects.values_list("email", flat=True)) == ["b@example.fr"]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=185)):
        assert services.purger() == 1
    assert not Alerte.objects.exists()


def test_one_address_cannot_flood_other_people_s_mailboxes(client, le_puy):
    rechercher_avec_un_besoin(client, le_puy)
    statuts = [creer_alerte(client, le_puy, f"victime{n}@example.fr").status_code for n in range(7)]
    assert statuts == [200] * 5 + [429] * 2
    assert Alerte.objects.count() == 5


def test_the_personal_data_page_tells_of_the_need_and_the_alerts_on_a_new_site_and_after_the_upgrade(client):
    page = texte(client.get("/donnees-personnelles/"))
    assert "Être prévenu quand une place se libère" in page and "Votre besoin d'accueil" in page
    migration = importlib.import_module("guide.migrations.0012_besoin_et_alertes")
    verifier_la_migration_du_texte(migration.besoin_et_alertes, REMPLACEMENTS_BESOIN_ET_ALERTES)
