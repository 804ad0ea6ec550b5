"""/pro/: structure managers and assistants maternels keep their own fiches current."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.utils import timezone

from habilitations.enums import Role
from habilitations.models import User
from habilitations.tasks import remind_stale_availability
from habilitations.tests.factories import PASSWORD, make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from notifications.models import Notification
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]


@pytest.fixture
def creche():
    CommuneFactory(code_insee="43157")
    return StructureFactory(nom="Crèche Les Lutins", creche=True, places_disponibles=0, places_mises_a_jour_le=None)


@pytest.fixture
def gestionnaire(creche):
    return make_person(Role.GESTIONNAIRE, structure=creche, email="directrice@lutins.example.fr")


def test_login_by_email_lands_on_the_pro_home_listing_my_fiches(client, gestionnaire, creche):
    other = StructureFactory(nom="Crèche d'à côté", creche=True)
    response = client.post("/pro/connexion/", {"username": "Directrice@Lutins.example.fr", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/pro/"
    html = client.get("/pro/").content.decode()
    assert "Crèche Les Lutins" in html and other.nom not in html
    assert "Mettre à jour la fiche" in html


def test_a_linf_person_sees_their_information_place_but_cannot_edit_it(client):
    CommuneFactory(code_insee="43157")
    linf = StructureFactory(nom="Point info familles", rubrique=Rubrique.LINF)
    client.force_login(make_person(Role.LINF, structure=linf))
    html = client.get("/pro/").content.decode()
    assert "Point info familles" in html and "recevoir les demandes" in html
    assert client.get(f"/pro/structures/{linf.pk}/").status_code == 404


def test_wrong_password_says_so_in_french(client, gestionnaire):
    response = client.post("/pro/connexion/", {"username": gestionnaire.email, "password": "faux"})
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_a_manager_updates_places_and_parents_see_the_new_figure_with_its_date(client, gestionnaire, creche):
    client.force_login(gestionnaire)
    response = client.post(f"/pro/structures/{creche.pk}/", {
        "presentation": "Une crèche.", "telephone": "04 71 02 03 04", "email": "", "site_web": "",
        "places_disponibles": "3", "horaires-TOTAL_FORMS": "0", "horaires-INITIAL_FORMS": "0",
        "horaires-MIN_NUM_FORMS": "0", "horaires-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    creche.refresh_from_db()
    assert creche.places_disponibles == 3
    assert creche.places_mises_a_jour_le.date() == timezone.localdate()
    html = client.get("/recherche/", {"code_insee": "43157", "rubrique": "EAJE"}).content.decode()
    assert "3 places disponibles" in html
    assert f"mises à jour le {timezone.localdate().day}" in html
    assert creche.history.first().history_user == gestionnaire


def test_bad_input_keeps_what_was_typed(client, gestionnaire, creche):
    client.force_login(gestionnaire)
    response = client.post(f"/pro/structures/{creche.pk}/", {
        "presentation": "Texte à garder", "telephone": "04 71 02 03 04", "places_disponibles": "-2",
        "horaires-TOTAL_FORMS": "0", "horaires-INITIAL_FORMS": "0", "horaires-MIN_NUM_FORMS": "0",
        "horaires-MAX_NUM_FORMS": "1000",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert "Texte à garder" in html and "ne peut pas être négatif" in html


def test_nobody_else_reads_or_changes_a_fiche(client, gestionnaire, creche):
    intruder = make_person(Role.GESTIONNAIRE, structure=StructureFactory(creche=True), email="autre@example.fr")
    client.force_login(intruder)
    assert client.get(f"/pro/structures/{creche.pk}/").status_code == 404
    assert client.post(f"/pro/structures/{creche.pk}/", {"places_disponibles": "9"}).status_code == 404
    agent = make_person(Role.CAF_AGENT, caf_code="64", email="agent64@example.fr")
    client.force_login(agent)
    assert client.get(f"/pro/structures/{creche.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/pro/structures/{creche.pk}/").status_code == 302  # to the login page


def test_an_assistant_maternel_sets_availability_and_search_shows_it(client):
    CommuneFactory(code_insee="43157")
    fiche = StructureFactory(nom="Nathalie Roux", rubrique=Rubrique.ASSMAT, capacite=4, places_disponibles=0)
    client.force_login(make_person(Role.ASSMAT, structure=fiche, email="nathalie@example.fr"))
    data = {
        "presentation": "", "telephone": "06 12 34 56 78", "age_min_mois": "3", "age_max_mois": "36",
        "capacite": "4", "places_disponibles": "1", "disponible_a_partir_du": "2027-01-04", "jardin": "on",
        "animaux": "un chat", "langues": "français, occitan", "pedagogie": "Motricité libre.",
        "creneaux": ["1-matin", "1-apres_midi", "3-matin"],
    }
    assert client.post(f"/pro/structures/{fiche.pk}/", {**data, "places_disponibles": "5"}).status_code == 400
    assert client.post(f"/pro/structures/{fiche.pk}/", data).status_code == 302
    fiche.refresh_from_db()
    assert fiche.disponible_a_partir_du == datetime.date(2027, 1, 4)
    assert [str(c) for c in fiche.creneaux_disponibles.all()] == ["Lundi matin", "Lundi après-midi", "Mercredi matin"]
    html = client.get("/recherche/", {"code_insee": "43157", "rubrique": "ASSMAT"}).content.decode()
    assert "Place disponible dès le 4 janvier 2027" in html
    html = client.get(f"/structures/{fiche.pk}/").content.decode()
    assert "Lundi matin, Lundi après-midi, Mercredi matin" in html and "un chat" in html


@pytest.mark.usefixtures("commits")  # the outbox sends after the commit
def test_availability_older_than_three_months_is_flagged_and_reminded_once(client, gestionnaire, creche):
    old = timezone.now() - datetime.timedelta(days=100)
    type(creche).objects.filter(pk=creche.pk).update(places_disponibles=2, places_mises_a_jour_le=old)
    fresh = StructureFactory(creche=True, places_mises_a_jour_le=timezone.now())
    make_person(Role.GESTIONNAIRE, structure=fresh, email="fraiche@example.fr")

    html = client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert "information peut-être dépassée" in html

    assert remind_stale_availability() == 1
    assert [m.to for m in mail.outbox] == [["directrice@lutins.example.fr"]]
    assert f"/pro/structures/{creche.pk}/" in mail.outbox[0].body
    assert remind_stale_availability() == 0, "pas de second rappel avant un mois"

    client.force_login(gestionnaire)
    assert "plus de 3 mois" in client.get("/pro/").content.decode()


@pytest.mark.usefixtures("commits")  # the outbox sends after the commit
def test_password_reset_needs_the_challenge_and_the_link_works_once(client, gestionnaire):
    from captcha.models import CaptchaStore

    def challenge():
        html = client.get("/pro/mot-de-passe-oublie/").content.decode()
        hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
        assert f"/captcha/image/{hashkey}/" in html, "le texte à recopier est affiché en image"
        return hashkey, CaptchaStore.objects.get(hashkey=hashkey).response

    hashkey, _ = challenge()
    response = client.post("/pro/mot-de-passe-oublie/", {"email": gestionnaire.email, "captcha_0": hashkey, "captcha_1": "faux"})
    assert response.status_code == 200 and not mail.outbox
    hashkey, answer = challenge()
    client.post("/pro/mot-de-passe-oublie/", {"email": gestionnaire.email, "captcha_0": hashkey, "captcha_1": answer})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/pro/nouveau-mot-de-passe/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    weak = client.post(form_url, {"new_password1": "seulement", "new_password2": "seulement"})
    assert "lettres et des chiffres" in weak.content.decode()
    done = client.post(form_url, {"new_password1": "Velay2026crèche", "new_password2": "Velay2026crèche"})
    assert done.status_code == 302
    assert User.objects.get(pk=gestionnaire.pk).check_password("Velay2026crèche")
    assert "n'est plus valable" in client.get(link, follow=True).content.decode()


def test_a_generated_password_must_be_changed_first(client, gestionnaire):
    User.objects.filter(pk=gestionnaire.pk).update(doit_changer_mot_de_passe=True)
    client.force_login(gestionnaire)
    assert client.get("/pro/")["Location"] == "/pro/mot-de-passe/"
    client.post("/pro/mot-de-passe/", {
        "old_password": PASSWORD, "new_password1": "Velay2026crèche", "new_password2": "Velay2026crèche",
    })
    assert client.get("/pro/").status_code == 200


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_reminder_runs_on_a_real_celery_worker_through_redis(settings, gestionnaire, creche):
    from celery.contrib.testing.worker import start_worker

    from monenfant.celery import app

    assert settings.REDIS_URL, "make test fournit REDIS_URL pour ce test"
    old = timezone.now() - datetime.timedelta(days=100)
    type(creche).objects.filter(pk=creche.pk).update(places_mises_a_jour_le=old)
    with start_worker(app, pool="solo", perform_ping_check=False):
        assert remind_stale_availability.delay().get(timeout=30) == 1
        # Written to the outbox, sent by the same worker as a task of its own.
        deadline = time.monotonic() + 30
        while not Notification.objects.filter(envoyee_le__isnull=False).exists():
            assert time.monotonic() < deadline, "le rappel n'est pas parti"
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["directrice@lutins.example.fr"]]
