"""Usage counters of the families' form: a demande started (first step passed) and sent."""

import pytest

from demandes.enums import EvenementUsage
from demandes.tests.test_demande import STEPS, go_through
from structures.tests.usage_helpers import counted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]


def test_started_once_at_the_first_step_and_sent_once_confirmed(client, velay):
    go_through(client, until="vous")
    assert counted(EvenementUsage.DEMANDE_COMMENCEE, departement="43") == 1
    client.post("/demande-information/etape/commune/", STEPS["commune"])  # back to the first step, same demande
    go_through(client)
    assert counted(EvenementUsage.DEMANDE_ENVOYEE) == 0, "not sent before the last step"
    response = client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    assert response.status_code == 302
    assert counted(EvenementUsage.DEMANDE_COMMENCEE, departement="43") == 1
    assert counted(EvenementUsage.DEMANDE_ENVOYEE, departement="43") == 1


def test_a_family_nobody_serves_has_not_started_a_demande(client, velay):
    client.post("/demande-information/etape/commune/", {"commune": "Yssingeaux (43200)", "code_insee": "43268"})
    client.post("/demande-information/etape/commune/", {"commune": "", "code_insee": ""})
    assert counted(EvenementUsage.DEMANDE_COMMENCEE) == 0
