"""Pages and files with a family's or a person's data are never stored by a browser or a proxy (issue 15)."""

import datetime

import pytest
from django.utils import timezone

from demandes import services
from demandes.tests.conftest import open_linf
from structures.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_private_pages_say_no_store_and_public_ones_do_not(client):
    le_puy = CommuneFactory(code_insee="43157")
    today = timezone.localdate()
    _, person = open_linf("PIF du Velay", le_puy, person_email="julie@pif43.example.fr")
    demande = services.create_demande_information(
        commune=le_puy, enfants=[{"date_naissance": today - datetime.timedelta(days=400)}], qualite="parent",
        besoin="creche", a_partir_du=today + datetime.timedelta(days=30), prenom="Léa", nom="Martin", email="lea@example.fr",
    )
    for url in ("/pro/connexion/", "/administration/login/", "/demande-information/etape/commune/"):
        assert no_store(client.get(url)), url
    client.force_login(person)
    client.post(f"/pro/demandes/{demande.reference}/ouvrir/")
    for url in ("/pro/", "/pro/demandes/", f"/pro/demandes/{demande.reference}/"):
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url
    for url in ("/", "/simulateur/"):
        assert not no_store(client.get(url)), url
