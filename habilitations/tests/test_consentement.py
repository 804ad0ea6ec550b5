"""An assistant maternel is public only by consent, and vanishes at once when they withdraw it."""

import pytest

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from structures.enums import Rubrique
from structures.models import CONSENTEMENT_VERSION, Structure
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia():
    fiche = StructureFactory(nom="Nadia Roux", rubrique=Rubrique.ASSMAT, commune=CommuneFactory(code_insee="43157"))
    return fiche, make_person(Role.ASSMAT, structure=fiche, email="nadia.roux@example.fr")


def public_ids(client) -> set[int]:
    features = client.get("/api/structures/", {"commune": "43157", "rubrique": "ASSMAT"}).json()["features"]
    return {f["properties"]["id"] for f in features}


def test_without_consent_a_fiche_is_nowhere_public(client):
    le_puy = CommuneFactory(code_insee="43157")
    listed = StructureFactory(rubrique=Rubrique.ASSMAT, commune=le_puy, nom="Claire Vidal")
    hidden = StructureFactory(rubrique=Rubrique.ASSMAT, commune=le_puy, nom="Sans Accord",
                              consentement_publication_le=None, consentement_publication_version="")
    assert public_ids(client) == {listed.pk}
    assert "Sans Accord" not in client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    assert client.get(f"/structures/{hidden.pk}/").status_code == 404
    assert client.get(f"/structures/{listed.pk}/").status_code == 200


def test_the_assistant_maternel_withdraws_then_gives_consent_in_pro(client, nadia):
    fiche, person = nadia
    client.force_login(person)
    assert "Retirer mon consentement" in client.get("/pro/").content.decode()
    assert fiche.pk in public_ids(client)

    response = client.post(f"/pro/structures/{fiche.pk}/consentement/", {"consentement": "retirer"}, follow=True)

    assert "apparaît plus sur le site public" in response.content.decode()
    assert fiche.pk not in public_ids(client), "gone from the API at once"
    assert client.get(f"/structures/{fiche.pk}/").status_code == 404
    assert "J'accepte que ma fiche soit publiée" in client.get("/pro/").content.decode()

    client.post(f"/pro/structures/{fiche.pk}/consentement/", {"consentement": "donner"})
    fiche.refresh_from_db()
    assert fiche.pk in public_ids(client)
    assert fiche.consentement_publication_version == CONSENTEMENT_VERSION
    history = list(fiche.history.order_by("history_date").values_list("consentement_publication_le", flat=True))
    assert history[-2] is None and history[-1] is not None, "the history keeps the withdrawal and the new consent"


def test_nobody_else_decides_for_them(client, nadia):
    fiche, _ = nadia
    other = StructureFactory(rubrique=Rubrique.ASSMAT, commune=fiche.commune)
    client.force_login(make_person(Role.ASSMAT, structure=other))
    assert client.post(f"/pro/structures/{fiche.pk}/consentement/", {"consentement": "retirer"}).status_code == 404
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    assert client.post(f"/pro/structures/{fiche.pk}/consentement/", {"consentement": "retirer"}).status_code == 404
    assert Structure.objects.get(pk=fiche.pk).a_consenti


def test_the_caf_sees_how_many_have_not_consented_on_its_territory(client, nadia):
    fiche, _ = nadia
    Structure.objects.filter(pk=fiche.pk).update(consentement_publication_le=None)
    StructureFactory(rubrique=Rubrique.ASSMAT, commune=CommuneFactory(code_insee="64445"), consentement_publication_le=None)
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    html = client.get("/administration/structures/structure/").content.decode()
    assert "Assistants maternels sans consentement à la publication (non visibles des familles) : <strong>1</strong>" in html
    listed = client.get("/administration/structures/structure/", {"consentement": "0"}).content.decode()
    assert "Nadia Roux" in listed
