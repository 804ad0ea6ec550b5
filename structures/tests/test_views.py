"""The public pages, without JavaScript: what a parent on any phone gets."""

import pytest

from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, HoraireFactory, StructureFactory, point_at_km

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


@pytest.fixture
def le_puy():
    return CommuneFactory(code_insee="43157")


def test_home_has_the_search_form_in_french(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert '<label class="fr-label" for="commune">' in html


def test_search_by_typed_commune_name_works_without_javascript(client, le_puy):
    StructureFactory(nom="Multi-accueil Les Lutins", creche=True, point=point_at_km(le_puy.point, 2))
    StructureFactory(nom="Relais des Sucs", rubrique=Rubrique.RPE)
    response = client.get("/recherche/", {"commune": "le puy", "rubrique": "EAJE"})
    html = response.content.decode()
    assert "1 résultat" in html
    assert "Multi-accueil Les Lutins" in html
    assert "à 2,0 km" in html
    assert "Relais des Sucs" not in html


def test_ambiguous_commune_asks_which_one(client, le_puy):
    CommuneFactory(code_insee="43089")
    CommuneFactory(code_insee="43041")
    response = client.get("/recherche/", {"commune": "43"})
    html = response.content.decode()
    assert "Plusieurs communes correspondent" in html
    assert "code_insee=43089" in html


def test_unknown_commune_says_so(client, le_puy):
    response = client.get("/recherche/", {"commune": "Atlantide"})
    assert response.status_code == 400
    assert "Aucune commune ne correspond à « Atlantide »" in response.content.decode()


def test_hostile_input_on_the_page_is_a_message_not_an_error(client, le_puy):
    response = client.get("/recherche/", {"code_insee": "4315\x00", "rayon_km": "1e309", "page": "x"})
    assert response.status_code == 400
    assert "Commune inconnue" in response.content.decode()
    response = client.get("/recherche/", {"code_insee": "43157", "rayon_km": "1e309"})
    assert "Le rayon doit être compris entre 1 et 50 km." in response.content.decode()


def test_no_result_offers_a_wider_radius(client, le_puy):
    StructureFactory(point=point_at_km(le_puy.point, 15))
    html = client.get("/recherche/", {"code_insee": "43157", "rayon_km": "10"}).content.decode()
    assert "Aucun résultat" in html
    assert "Élargir à 20 km" in html
    html = client.get("/recherche/", {"code_insee": "43157", "rayon_km": "20"}).content.decode()
    assert "1 résultat" in html


def test_results_are_paginated(client, le_puy):
    for km in range(25):
        StructureFactory(nom=f"Assmat {km:02d}", point=point_at_km(le_puy.point, km / 10))
    first = client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert "25 résultats" in first and "Assmat 19" in first and "Assmat 20" not in first
    second = client.get("/recherche/", {"code_insee": "43157", "page": 2}).content.decode()
    assert "Assmat 20" in second and "Assmat 19" not in second


def test_fiche_shows_what_a_parent_needs(client, le_puy):
    structure = StructureFactory(
        nom="Crèche Les Oursons", creche=True, telephone="04 71 00 00 00", email="oursons@example.fr",
        presentation="Une crèche au pied du rocher.", places_disponibles=3, age_min_mois=3, age_max_mois=42,
    )
    HoraireFactory(structure=structure)
    html = client.get(f"/structures/{structure.pk}/").content.decode()
    for text in ["Crèche Les Oursons", "04 71 00 00 00", "oursons@example.fr", "Une crèche au pied du rocher.",
                 "Lundi", "08h00 – 18h00", "3 places disponibles", 'id="carte"', "barème national",
                 "à partir de 3 mois, jusqu'à 3 ans et demi"]:
        assert text in html


def test_a_closed_fiche_is_gone(client, le_puy):
    structure = StructureFactory(fermee=True)
    assert client.get(f"/structures/{structure.pk}/").status_code == 404


def test_active_filters_are_tags_each_a_link_to_the_same_search_without_it(client, le_puy):
    StructureFactory(nom="Multi-accueil Les Lutins", creche=True, point=point_at_km(le_puy.point, 2))
    response = client.get("/recherche/", {"code_insee": "43157", "rubrique": ["EAJE", "RPE"], "rayon_km": "20",
                                          "age_mois": "12", "avip": "1", "page": "1"})
    tags = dict(response.context["filtres_actifs"])
    assert list(tags) == ["Crèche et autre accueil collectif (EAJE)", "Relais petite enfance",
                          "À moins de 20 km", "Enfant de 1 an", "Places AVIP"]
    sans_eaje = tags["Crèche et autre accueil collectif (EAJE)"]
    assert "rubrique=RPE" in sans_eaje and "EAJE" not in sans_eaje and "age_mois=12" in sans_eaje
    assert "avip" not in tags["Places AVIP"] and "rayon_km=20" in tags["Places AVIP"]
    assert "rayon_km" not in tags["À moins de 20 km"] and "page=" not in tags["Enfant de 1 an"]
    assert all(url.startswith("/recherche/?code_insee=43157") for url in tags.values())
    html = response.content.decode()
    assert 'aria-label="Retirer le filtre : Enfant de 1 an"' in html, "shown even without a result: the way out"


def test_without_filters_no_tags_and_the_map_is_an_anchor_away(client, le_puy):
    StructureFactory(creche=True, point=point_at_km(le_puy.point, 2))
    response = client.get("/recherche/", {"code_insee": "43157"})
    html = response.content.decode()
    assert response.context["filtres_actifs"] == [] and "mf-filtres" not in html
    assert 'href="#carte-resultats">Carte</a>' in html and 'id="carte-resultats"' in html


def test_beyond_200_results_the_page_says_so_and_goes_on(client, le_puy):
    # 230 fiches 10 m apart, and five at the same point as the 200th: equal distances stay by id.
    fiches = [StructureFactory(nom=f"Assmat {i:03d}", point=point_at_km(le_puy.point, i / 100)) for i in range(230)]
    fiches += [StructureFactory(nom=f"Assmat 199-{i}", point=fiches[199].point) for i in range(5)]
    first = client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert "Plus de 200 résultats" in first and "235 résultats" not in first
    page_11 = client.get("/recherche/", {"code_insee": "43157", "page": 11}).content.decode()
    # Not counted beyond 200: the page has no total, and a next page as long as there are results.
    assert "Page suivante" in page_11 and "Page précédente" in page_11 and "11 / " not in page_11
    assert 'start="201"' in page_11
    last = client.get("/recherche/", {"code_insee": "43157", "page": 12}).content.decode()
    assert "Assmat 229" in last and "Page suivante" not in last
    past_the_end = client.get("/recherche/", {"code_insee": "43157", "page": 99}).content.decode()
    assert 'start="221"' in past_the_end and "Assmat 229" in past_the_end  # the last page, as before


def test_200_results_or_fewer_are_counted(client, le_puy):
    for i in range(200):
        StructureFactory(nom=f"Assmat {i:03d}", point=point_at_km(le_puy.point, i / 100))
    first = client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert "200 résultats" in first and "Plus de" not in first and "1 / 10" in first
    last = client.get("/recherche/", {"code_insee": "43157", "page": 10}).content.decode()
    assert "200 résultats" in last and "10 / 10" in last and "Assmat 199" in last


def test_the_results_page_reads_no_fiche_one_by_one(client, le_puy, django_assert_max_num_queries):
    """The page's fiches are read with what their card and marker show: a field left out would cost a query
    per fiche."""
    import datetime

    for i in range(25):
        StructureFactory(nom=f"Assmat {i:02d}", point=point_at_km(le_puy.point, i / 10), places_disponibles=i % 3,
                         disponible_a_partir_du=datetime.date.today() + datetime.timedelta(days=i % 2 * 30))
    StructureFactory(creche=True, avip=True, point=point_at_km(le_puy.point, 0.05))
    client.get("/recherche/", {"code_insee": "43157"})
    with django_assert_max_num_queries(12):
        html = client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert "26 résultats" in html and "AVIP" in html and "Place disponible dès le" in html
