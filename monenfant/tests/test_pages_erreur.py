"""An unknown address answers 404 in French, in the site's layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_french_404_in_the_site_layout(client):
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'lang="fr"' in html and "Page introuvable" in html and "fr-header" in html
    assert 'href="/"' in html
