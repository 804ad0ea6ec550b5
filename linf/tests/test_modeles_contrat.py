"""The CAF–CNAF contract's PDF is made from the current version of its template (habilitations.modeles)."""

import pytest
from django.urls import reverse

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from linf.models import ContratCafCnaf

pytestmark = pytest.mark.django_db


def test_the_contract_names_its_version(client, rendered_html):
    contrat = ContratCafCnaf.objects.create(departement_id="43")
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    response = client.get(reverse("admin:linf_contrat_pdf", args=[contrat.pk]))
    assert response["Content-Type"] == "application/pdf"
    html = rendered_html[-1]
    assert "Modèle de contrat CAF–CNAF version 1 du" in html and "Caisse nationale des allocations familiales" in html
    assert "Caf de la Haute-Loire" in html and "tacite reconduction" in html
