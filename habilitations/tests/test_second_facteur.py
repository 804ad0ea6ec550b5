"""The second factor of the people who read families' data or run the back office (issue 15, §1):
enrolled at the first login, asked at every login, recovery codes used once, never bypassed by
enrolling again; structure managers log in with their password only."""

import base64
import datetime

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from habilitations.enums import Role
from habilitations.tests.factories import PASSWORD, make_person
from habilitations.tests.fixtures import enrol_second_factor
from habilitations.tests.otp import code_now
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
LOGIN = "/pro/connexion/"


@pytest.fixture
def julie():
    linf = StructureFactory(nom="PIF du Velay", rubrique=Rubrique.LINF, commune=CommuneFactory(code_insee="43157"))
    return make_person(Role.LINF, structure=linf, email="julie@pif43.example.fr")


def log_in(client, user, password=PASSWORD):
    response = client.post(LOGIN, {"username": user.email, "password": password})
    assert response.status_code == 302
    return response


def test_first_login_enrols_an_app_then_the_demandes_open(client, julie, time_machine):
    log_in(client, julie)
    response = client.get("/pro/demandes/")
    assert response["Location"] == "/pro/double-authentification/activer/?next=%2Fpro%2Fdemandes%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "Code QR à scanner" in page and 'id="cle-second-facteur"' in page
    wrong = client.post(reverse("pro:activer_second_facteur"), {"code": "000000", "next": "/pro/demandes/"})
    assert wrong.status_code == 400 and "Ce code ne correspond pas" in wrong.content.decode()
    time_machine.shift(datetime.timedelta(seconds=5))  # django-otp slows down after a failure
    codes = enrol_second_factor(client, next_url="/pro/demandes/")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/pro/demandes/").status_code == 200


def test_each_later_login_asks_for_the_code_and_enrolling_again_is_no_way_round(client, julie, time_machine):
    log_in(client, julie)
    codes = enrol_second_factor(client)
    client.post(reverse("pro:deconnexion"))

    log_in(client, julie)
    assert client.get("/pro/demandes/")["Location"].startswith("/pro/double-authentification/?next=")
    # An attacker who has the password only cannot pair their own phone.
    assert client.get(reverse("pro:activer_second_facteur"))["Location"].startswith("/pro/double-authentification/")
    assert client.post(reverse("pro:activer_second_facteur"), {"code": "123456"}).status_code == 302
    wrong = client.post(reverse("pro:second_facteur"), {"code": "123456"})
    assert wrong.status_code == 400 and "pas valable" in wrong.content.decode()
    assert client.get("/pro/demandes/").status_code == 302

    time_machine.shift(datetime.timedelta(seconds=60))  # django-otp slows down after a failure
    response = client.post(reverse("pro:second_facteur"), {"code": f" {codes[0].upper()} ", "next": "/pro/demandes/"})
    assert response["Location"] == "/pro/demandes/"
    assert client.get("/pro/demandes/").status_code == 200
    client.post(reverse("pro:deconnexion"))

    log_in(client, julie)
    time_machine.shift(datetime.timedelta(seconds=60))
    assert client.post(reverse("pro:second_facteur"), {"code": codes[0]}).status_code == 400, "a recovery code serves once"
    time_machine.shift(datetime.timedelta(seconds=60))
    cle = base64.b32encode(TOTPDevice.objects.get(user=julie).bin_key).decode().rstrip("=")
    assert client.post(reverse("pro:second_facteur"), {"code": code_now(cle)}).status_code == 302
    assert client.get("/pro/demandes/").status_code == 200


def test_the_back_office_is_behind_the_same_door(client):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    assert client.get("/administration/login/?next=/administration/")["Location"] == \
        "/pro/connexion/?next=/administration/"
    log_in(client, agent)
    assert client.get("/administration/")["Location"].startswith("/pro/double-authentification/activer/")
    assert client.get("/administration/structures/structure/")["Location"].startswith("/pro/double-authentification/")
    enrol_second_factor(client, next_url="/administration/")
    assert client.get("/administration/").status_code == 200


def test_structure_managers_log_in_with_their_password_only(client):
    creche = StructureFactory(nom="Crèche des Lutins", commune=CommuneFactory(code_insee="43157"), creche=True)
    gestionnaire = make_person(Role.GESTIONNAIRE, structure=creche, email="direction@lutins.example.fr")
    log_in(client, gestionnaire)
    assert client.get("/pro/").status_code == 200
    # and the back office is refused in French, not a redirection loop back to the login page
    response = client.get("/administration/", follow=True)
    assert response.status_code == 403


def test_a_password_of_the_old_rules_opens_once_then_must_change(client):
    creche = StructureFactory(nom="Crèche des Lutins", commune=CommuneFactory(code_insee="43157"), creche=True)
    gestionnaire = make_person(Role.GESTIONNAIRE, structure=creche, email="direction@lutins.example.fr")
    gestionnaire.set_password("Lutins43")  # 8 characters: the guide's floor, before 12
    gestionnaire.save()
    log_in(client, gestionnaire, "Lutins43")
    response = client.get("/pro/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("pro:mot_de_passe")
    assert "Choisissez votre mot de passe avant de continuer" in response.content.decode()
    short = client.post(reverse("pro:mot_de_passe"),
                        {"old_password": "Lutins43", "new_password1": "Velay2026", "new_password2": "Velay2026"})
    assert short.status_code == 200 and "12 caractères" in short.content.decode()
    done = client.post(reverse("pro:mot_de_passe"), {"old_password": "Lutins43", "new_password1": "Velay2026lutins",
                                                      "new_password2": "Velay2026lutins"})
    assert done.status_code == 302
    assert client.get("/pro/").status_code == 200


def test_the_back_office_waits_for_a_password_that_must_change(client):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr", doit_changer_mot_de_passe=True)
    client.force_login(agent)
    assert client.get("/administration/")["Location"] == reverse("pro:mot_de_passe")
    assert client.get(reverse("pro:mot_de_passe")).status_code == 200
