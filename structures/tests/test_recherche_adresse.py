"""The family's address is posted, geocoded on the server and kept in the session: it never travels in a
URL (access logs, Referer, history, a shared link). Results URLs carry the commune and the filters only."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from structures.tasks import clear_expired_sessions
from structures.tests.factories import CommuneFactory, StructureFactory, point_at_km
from structures.views import SESSION_ADRESSE

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]

ADRESSE = "8 rue Pannessac"  # not the form's example (12 rue des Capucins)
RESULTATS = "/recherche/?code_insee=43157&commune=Le+Puy-en-Velay+%2843000%29&rubrique=EAJE&rayon_km=10"


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


@pytest.fixture
def chez_moi(le_puy, fake_ban):
    """A home 6 km east of the centre, a crèche 5 km east (near home) and one at the centre."""
    home = point_at_km(le_puy.point, 6)
    fake_ban.add(ADRESSE, lon=home.x, lat=home.y, citycode="43157")
    StructureFactory(nom="Près de chez moi", creche=True, point=point_at_km(le_puy.point, 5))
    StructureFactory(nom="Au centre", creche=True, point=le_puy.point)
    return home


def poster(client, **fields):
    data = {"commune": "", "code_insee": "43157", "adresse": ADRESSE, "rubrique": "EAJE", "rayon_km": "10", "age_mois": ""}
    return client.post("/recherche/", {**data, **fields})


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


def varies_on_cookie(response) -> bool:
    return "cookie" in response.get("Vary", "").lower()


def test_the_search_form_posts_with_a_csrf_token(client):
    html = client.get("/").content.decode()
    form = re.search(r'<form method="post" action="/recherche/"[^>]*role="search".*?</form>', html, re.S).group(0)
    assert 'name="csrfmiddlewaretoken"' in form and 'name="adresse"' in form


def test_the_posted_address_orders_the_results_but_stays_out_of_the_url(client, chez_moi, fake_ban):
    response = poster(client)
    assert response.status_code == 303
    location = response["Location"]
    assert location == RESULTATS
    assert set(parse_qs(urlsplit(location).query)) == {"code_insee", "commune", "rubrique", "rayon_km"}
    assert "Pannessac" not in location and f"{chez_moi.x:.3f}" not in location and f"{chez_moi.y:.3f}" not in location

    response = client.get(location)
    html = response.content.decode()
    assert f"Distances calculées depuis votre adresse : {ADRESSE}" in html
    assert "à moins de 10 km de votre adresse" in html
    assert html.index("Près de chez moi") < html.index("Au centre")
    assert "à 1,0 km" in html  # from home, not from the centre (5 km)
    assert f'value="{ADRESSE}"' in html  # the form, filled in: no need to type it again
    assert no_store(response) and varies_on_cookie(response)
    assert fake_ban.queries == [f"{ADRESSE}, 43000 Le Puy-en-Velay"]  # geocoded once, at the post


def test_another_person_opening_the_same_link_gets_results_from_the_commune(client, chez_moi):
    url = poster(client)["Location"]
    response = Client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pannessac" not in html and "votre adresse" not in html
    assert "à moins de 10 km du Puy-en-Velay" in html
    assert html.index("Au centre") < html.index("Près de chez moi")
    assert not no_store(response) and varies_on_cookie(response)


def test_no_longer_using_the_address(client, chez_moi):
    url = poster(client)["Location"]
    html = client.get(url).content.decode()
    action = unescape(re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"'
                                r'[^>]*>\s*<button[^>]*>Ne plus utiliser cette adresse', html).group(1))
    assert action == "/recherche/oublier-adresse/?" + urlsplit(url).query
    response = client.post(action)
    assert response.status_code == 303 and response["Location"] == url
    assert SESSION_ADRESSE not in client.session
    html = client.get(url).content.decode()
    assert "Pannessac" not in html and "à moins de 10 km du Puy-en-Velay" in html
    assert html.index("Au centre") < html.index("Près de chez moi")
    assert client.get("/recherche/oublier-adresse/").status_code == 405


def test_posting_again_without_an_address_forgets_it(client, chez_moi):
    poster(client)
    url = poster(client, adresse="  ")["Location"]
    assert SESSION_ADRESSE not in client.session
    assert "Pannessac" not in client.get(url).content.decode()


def test_an_old_bookmark_with_the_address_is_redirected_without_it_and_not_geocoded(client, chez_moi, fake_ban):
    response = client.get("/recherche/", {"code_insee": "43157", "adresse": ADRESSE, "rubrique": "EAJE"})
    assert response.status_code == 302
    assert response["Location"] == "/recherche/?code_insee=43157&rubrique=EAJE"
    assert client.get("/recherche/?adresse=").headers["Location"] == "/recherche/"
    assert fake_ban.queries == []
    assert SESSION_ADRESSE not in client.session


def test_the_next_page_link_carries_no_address_and_keeps_ordering_from_it(client, le_puy, fake_ban):
    home = point_at_km(le_puy.point, 6)
    fake_ban.add(ADRESSE, lon=home.x, lat=home.y, citycode="43157")
    for km in range(25):  # Assmat 00 at the centre … Assmat 24 at 2.4 km: from home, the farthest first
        StructureFactory(nom=f"Assmat {km:02d}", point=point_at_km(le_puy.point, km / 10))
    url = poster(client, rubrique="", rayon_km="20")["Location"]
    first = client.get(url).content.decode()
    assert "Assmat 24" in first and "Assmat 00" not in first
    suivante = unescape(re.search(r'href="([^"]+)">Page suivante', first).group(1))
    assert "adresse" not in suivante and "Pannessac" not in suivante
    assert set(parse_qs(urlsplit(suivante).query)) == {"code_insee", "commune", "rayon_km", "page"}
    second = client.get("/recherche/" + suivante)
    html = second.content.decode()
    assert "Assmat 00" in html and "Assmat 24" not in html
    assert f"Distances calculées depuis votre adresse : {ADRESSE}" in html and no_store(second)


def test_when_the_ban_is_down_the_commune_centre_is_used_and_the_page_says_so(client, le_puy, fake_ban):
    fake_ban.down = True
    StructureFactory(nom="Au centre", point=le_puy.point)
    url = poster(client, rubrique="")["Location"]
    assert "Pannessac" not in url
    response = client.get(url)
    html = response.content.decode()
    assert f"Adresse non trouvée ({ADRESSE}) : les distances sont comptées depuis le centre du Puy-en-Velay" in html
    assert "Au centre" in html and "à 0,0 km" in html
    assert "Ne plus utiliser cette adresse" in html and no_store(response)


def test_an_address_is_used_only_for_the_commune_it_was_typed_in(client, chez_moi):
    CommuneFactory(code_insee="43089")
    poster(client)
    response = client.get("/recherche/", {"code_insee": "43089"})
    html = response.content.decode()
    assert "Pannessac" not in html and "votre adresse" not in html and not no_store(response)


def test_errors_keep_everything_typed(client, le_puy, fake_ban):
    response = client.post("/recherche/", {
        "commune": "Atlantide", "code_insee": "", "adresse": ADRESSE, "rubrique": ["EAJE", "RPE"],
        "places_disponibles": "1", "rayon_km": "20", "age_mois": "12",
    })
    html = response.content.decode()
    assert response.status_code == 400 and no_store(response)
    assert "Aucune commune ne correspond à « Atlantide »" in html
    for filled in ('id="commune" name="commune" value="Atlantide"', f'name="adresse" value="{ADRESSE}"',
                   'value="EAJE" checked', 'value="RPE" checked', 'name="places_disponibles" value="1" checked',
                   '<option value="20" selected>', '<option value="12" selected>'):
        assert filled in html, filled

    response = poster(client, rayon_km="1e309")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le rayon doit être compris entre 1 et 50 km." in html and f'name="adresse" value="{ADRESSE}"' in html

    response = poster(client, code_insee="", commune=" ")
    assert response.status_code == 400
    assert "Indiquez votre commune ou son code postal." in response.content.decode()
    assert fake_ban.queries == []  # nothing geocoded before the search is valid
    assert SESSION_ADRESSE not in client.session


def test_several_communes_keep_the_address_out_of_the_links(client, le_puy, fake_ban):
    espaly = CommuneFactory(code_insee="43089")
    CommuneFactory(code_insee="43041")
    home = point_at_km(espaly.point, 1)
    fake_ban.add(ADRESSE, lon=home.x, lat=home.y, citycode="43089")
    response = poster(client, code_insee="", commune="43")
    html = response.content.decode()
    assert response.status_code == 200 and no_store(response)
    assert "Plusieurs communes correspondent" in html
    assert "Pannessac" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert f'<input type="hidden" name="adresse" value="{ADRESSE}">' in html
    assert '<button class="fr-link" type="submit" name="code_insee" value="43089">' in html

    # The button posts the same fields again with the commune chosen.
    fields = dict(re.findall(r'<input type="hidden" name="(commune|adresse|rubrique|rayon_km)" value="([^"]*)">', html))
    response = client.post("/recherche/", {**fields, "code_insee": "43089"})
    assert response.status_code == 303
    assert response["Location"] == "/recherche/?code_insee=43089&commune=Espaly-Saint-Marcel+%2843000%29&rubrique=EAJE&rayon_km=10"
    assert client.session[SESSION_ADRESSE]["code_insee"] == "43089"
    assert f"Distances calculées depuis votre adresse : {ADRESSE}" in client.get(response["Location"]).content.decode()


def test_the_form_works_with_csrf_checks_on(le_puy):
    browser = Client(enforce_csrf_checks=True)
    html = browser.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert browser.post("/recherche/", {"code_insee": "43157", "adresse": ADRESSE}).status_code == 403
    response = browser.post("/recherche/", {"csrfmiddlewaretoken": token, "code_insee": "43157", "adresse": ADRESSE})
    assert response.status_code == 303 and response["Location"] == "/recherche/?code_insee=43157&commune=Le+Puy-en-Velay+%2843000%29"


def test_the_address_is_deleted_with_its_expired_session(client, chez_moi, settings):
    assert any(e["task"] == "structures.tasks.clear_expired_sessions" for e in settings.CELERY_BEAT_SCHEDULE.values())
    poster(client)
    other = Client()
    poster(other)
    assert Session.objects.count() == 2
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [other.session.session_key]
