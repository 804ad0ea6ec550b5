"""A guide page read is counted, by its address; the index, a search or a draft are not."""

import pytest

from guide.enums import EvenementUsage
from guide.models import PageGuide
from structures.tests.usage_helpers import counted

pytestmark = pytest.mark.django_db


def test_each_page_read_counts_for_that_page(client):
    for _ in range(2):
        assert client.get("/guide/choisir-un-mode-d-accueil/").status_code == 200
    client.get("/guide/devenir-parent/")
    client.get("/guide/")
    client.get("/guide/", {"q": "crèche"})
    client.get("/guide/rubrique/laep/")  # a redirection to the page: the page itself is not read yet
    PageGuide.objects.create(titre="Brouillon", slug="brouillon", chapo="c", corps="rien", sources="s")
    assert client.get("/guide/brouillon/").status_code == 404
    assert counted(EvenementUsage.PAGE_GUIDE_LUE, cle="choisir-un-mode-d-accueil") == 2
    assert counted(EvenementUsage.PAGE_GUIDE_LUE, cle="devenir-parent") == 1
    assert counted(EvenementUsage.PAGE_GUIDE_LUE) == 3
