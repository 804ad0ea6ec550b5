"""An unknown address answers 404 in French, in the site's layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_french_404_in_the_site_layout(client):
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'lang="fr"' in html and "Page introuvable" in html and "fr-header" in html
    assert 'href="/"' in html


def test_a_form_sent_without_its_cookie_is_explained_in_french(settings):
    """Cookies blocked, or a page left open too long: the search (a POST) says what to do."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/recherche/", {"commune": "Le Puy-en-Velay"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Ce formulaire n'a pas pu être envoyé" in html and "autorisez les cookies" in html and "fr-header" in html


def test_a_refused_page_is_a_french_403_in_the_site_layout(client):
    from habilitations.enums import Role
    from habilitations.tests.factories import make_person
    from structures.tests.factories import CommuneFactory, StructureFactory

    creche = StructureFactory(commune=CommuneFactory(code_insee="43157"), creche=True)
    client.force_login(make_person(Role.GESTIONNAIRE, structure=creche))
    response = client.get("/administration/", follow=True)
    assert response.status_code == 403 and "Accès refusé" in response.content.decode()


def test_the_favicon_asked_by_pages_that_name_none_is_found(client):
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and redirect["Location"].endswith(".ico")
    icon = client.get(redirect["Location"])
    assert icon.status_code == 200 and b"".join(icon.streaming_content)

