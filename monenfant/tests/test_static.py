"""The collected static files are served, the build's own bookkeeping is not (issue 15, low)."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db  # the 404 page is the site's


def test_the_manifest_is_not_served_but_the_files_it_names_are(client):
    assert client.get("/static/staticfiles.json").status_code == 404
    assert client.get("/static/.collected").status_code == 404
    response = client.get(staticfiles_storage.url("dsfr/dist/dsfr.min.css"))
    response.close()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=315360000")  # a hashed name: cached for ever
