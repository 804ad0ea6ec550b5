"""Who edits the parents' guide in the back office (here rather than in guide/tests: it logs in people of
the habilitations app, which guide does not know)."""

import pytest

from guide.models import PageGuide, Statut
from habilitations.enums import Role
from habilitations.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.postgis]


def test_only_cnaf_editors_change_pages(client):
    page = PageGuide.objects.get(slug="devenir-parent")
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    assert client.get(f"/administration/guide/pageguide/{page.pk}/change/").status_code == 200  # read only
    response = client.post(f"/administration/guide/pageguide/{page.pk}/change/", {"titre": "Piraté"})
    assert response.status_code == 403
    assert PageGuide.objects.get(pk=page.pk).titre == "Devenir parent"
    client.force_login(make_person(Role.CNAF_ADMIN))
    data = {"titre": "Devenir parent", "slug": "devenir-parent", "chapo": page.chapo, "corps": page.corps + "\nAjout.",
            "sources": page.sources, "rubriques": "", "ordre": 1, "statut": Statut.PUBLIEE}
    assert client.post(f"/administration/guide/pageguide/{page.pk}/change/", data).status_code == 302
    assert page.history.count() >= 1
    assert "Ajout." in client.get("/guide/devenir-parent/").content.decode()
