"""Opening the online guichet, and the CAF–CNAF contract as a document."""

import datetime

import pytest
from django.urls import reverse

from habilitations import services
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import pdf_text
from linf.models import ContratCafCnaf
from linf.services import GuichetRefuse, open_guichet
from monenfant.tests.horloge import JOUR_DES_TESTS
from structures.tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits"), pytest.mark.time_machine(JOUR_DES_TESTS)]


def test_the_guichet_opens_only_with_a_validated_habilitation_an_active_contract_and_matching_communes(demande, linf):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    with pytest.raises(GuichetRefuse, match="aucune habilitation validée"):
        open_guichet(structure=linf)
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    with pytest.raises(GuichetRefuse, match="contrat CAF–CNAF du département 43 n'est pas actif"):
        open_guichet(structure=linf)
    ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True)
    linf.communes_desservies.add(CommuneFactory(code_insee="43041"))
    with pytest.raises(GuichetRefuse, match="absentes de l'habilitation : Brives-Charensac"):
        open_guichet(structure=linf)
    linf.communes_desservies.remove("43041")
    guichet = open_guichet(structure=linf)
    assert guichet.ouvert and guichet.delai_traitement_jours == 7


@pytest.mark.pdf
def test_the_caf_cnaf_contract_is_downloadable_as_pdf_in_its_territory_only(client, linf):
    contrat = ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True)
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    response = client.get(reverse("admin:linf_contrat_pdf", args=[contrat.pk]))
    assert response["Content-Type"] == "application/pdf"

    class Doc:
        pdf = response.content

    text = pdf_text(Doc)
    assert "Caf de la Haute-Loire" in text and "5 janvier 2026" in text
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    assert client.get(reverse("admin:linf_contrat_pdf", args=[contrat.pk])).status_code == 404
