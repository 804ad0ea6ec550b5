"""A CNAF administrator adds next year's barème in /administration/, without a deploy."""

import pytest
from django.contrib.auth import get_user_model

from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]


def test_next_year_period_added_in_the_back_office_is_used_at_once(client):
    admin = get_user_model().objects.create_superuser("cnaf@example.fr", "motdepasse-solide-2026")
    client.force_login(admin)
    assert client.get("/api/simulateur/creche/", {
        "date": "2027-02-01", "ressources_mensuelles": "3000", "enfants_a_charge": "1",
        "type_accueil": "collectif", "heures_par_semaine": "40",
    }).status_code == 400

    rates = [("collectif", 1, "0.0625"), ("collectif", 2, "0.0521"), ("collectif", 3, "0.0417"),
             ("collectif", 4, "0.0313"), ("collectif", 8, "0.0208"), ("familial", 1, "0.0521"),
             ("familial", 2, "0.0417"), ("familial", 3, "0.0313"), ("familial", 6, "0.0208")]
    form = {
        "dispositif": "psu", "debut": "2027-01-01", "fin": "2027-12-31", "plancher": "830.00",
        "plafond": "8600.00", "source": "Circulaire Cnaf 2027 (exemple de test)",
        "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0",
        "taux-TOTAL_FORMS": str(len(rates)), "taux-INITIAL_FORMS": "0", "taux-MIN_NUM_FORMS": "0",
        "taux-MAX_NUM_FORMS": "1000",
    }
    for i, (tableau, enfants, taux) in enumerate(rates):
        form.update({f"taux-{i}-tableau": tableau, f"taux-{i}-enfants_min": str(enfants), f"taux-{i}-taux": taux})
    response = client.post("/administration/simulateur/bareme/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    data = client.get("/api/simulateur/creche/", {
        "date": "2027-02-01", "ressources_mensuelles": "3000", "enfants_a_charge": "1",
        "type_accueil": "collectif", "heures_par_semaine": "40",
    }).json()
    assert data["taux_effort"] == 0.0625
    assert data["tarif_horaire"] == 1.88  # 3 000 x 0.0625 % = 1.875 -> 1.88
    assert data["bareme"]["source"] == "Circulaire Cnaf 2027 (exemple de test)"


def test_overlapping_period_is_refused_with_a_message(client):
    admin = get_user_model().objects.create_superuser("cnaf@example.fr", "motdepasse-solide-2026")
    client.force_login(admin)
    response = client.post("/administration/simulateur/bareme/add/", {
        "dispositif": "psu", "debut": "2026-06-01", "plancher": "830.00", "plafond": "8600.00", "source": "x",
        "taux-TOTAL_FORMS": "0", "taux-INITIAL_FORMS": "0", "taux-MIN_NUM_FORMS": "0", "taux-MAX_NUM_FORMS": "1000",
        "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "Cette période chevauche" in response.content.decode()

