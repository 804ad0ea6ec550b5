"""Guards that keep the busiest pages from sliding back: their number of SQL queries has a ceiling,
and it does not grow with the data (three times as many demandes, fiches or persons: the same count)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demandes.tests.test_exports import make_demandes
from habilitations.demo import DEMO_DOMAIN
from habilitations.models import Affectation, User
from structures.enums import Rubrique
from structures.models import Commune, Structure
from structures.tests.factories import StructureFactory
from structures.views import PAGE_SIZE

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]

# (who, url, ceiling): the figure measured when the guard was written, plus one.
PAGES = [
    ("public", "/recherche/?code_insee=43157&rayon_km=20", 10),
    ("public", "/recherche/?code_insee=43157&rayon_km=20&rubrique=EAJE", 10),
    ("public", "FICHE", 10),
    ("linf43", "/pro/demandes/", 8),
    ("agent.caf43", "/administration/demandes/demande/", 14),
    ("cnaf", "/administration/demandes/demande/?departement=43", 15),
    ("agent.caf43", "/administration/linf/objectifcouverture/", 13),
    ("cnaf", "/administration/linf/objectifcouverture/", 13),
    ("agent.caf43", "/administration/linf/objectifcouverture/carte.json?departement=43", 6),
    ("agent.caf43", "/administration/demandes/besoinsoffre/", 10),
    ("cnaf", "/administration/demandes/besoinsoffre/", 10),
    ("agent.caf43", "/administration/structures/usagedusite/", 15),
    ("cnaf", "/administration/structures/usagedusite/?departement=43", 16),
    ("agent.caf43", "/administration/habilitations/controleconnexions/", 13),
    ("cnaf", "/administration/habilitations/controleconnexions/", 13),
]


def grow(times: int):
    """More of what these pages list: demandes for the demo LINF of Le Puy, crèches around it (more than a page
    of search results each time: a second page costs the search one bounded count, not one query a row)."""
    linf = Affectation.objects.get(user__email=f"linf43@{DEMO_DOMAIN}").structure
    le_puy = Commune.objects.get(code_insee="43157")
    make_demandes(linf, le_puy, 10 * times)
    StructureFactory.create_batch(PAGE_SIZE + 5 * times, creche=True, commune=le_puy, point=le_puy.point)


def url_of(url: str) -> str:
    if url == "FICHE":
        return f"/structures/{Structure.objects.filter(rubrique=Rubrique.EAJE).order_by('pk').first().pk}/"
    return url


def queries(client, who, url) -> int:
    client.logout()
    if who != "public":
        client.force_login(User.objects.get(email=f"{who}@{DEMO_DOMAIN}"))
    assert client.get(url).status_code == 200, url  # caches, session and first-time lookups out of the way
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_queries_have_a_ceiling_and_do_not_grow_with_the_data(client, demo_site):
    # One test for every page: the demo site is built once.
    grow(1)
    few = {(who, url): queries(client, who, url_of(url)) for who, url, _ in PAGES}
    over = [f"{url} ({who}) : {few[who, url]} requêtes, plafond {ceiling}"
            for who, url, ceiling in PAGES if few[who, url] > ceiling]
    assert not over, "\n".join(over)
    grow(2)
    more = {(who, url): queries(client, who, url_of(url)) for who, url, _ in PAGES}
    grew = [f"{url} ({who}) : {few[key]} puis {more[key]} requêtes" for key in few if more[key] != few[key]
            for who, url in [key]]
    assert not grew, "une requête de plus par ligne affichée (N+1) :\n" + "\n".join(grew)
