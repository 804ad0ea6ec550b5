"""Attacks on the login, replayed: one identity whatever the spelling of the address (issue 15, §2)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from habilitations.models import identifiant
from habilitations.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "assmat64@example.fr"
VARIANTS = [EMAIL, "ASSMAT64@example.fr", f" {EMAIL}", f"{EMAIL} ", "Assmat64@Example.FR", f"\t{EMAIL}\n"]
LOGINS = ["/pro/connexion/", "/administration/login/"]


def test_one_spelling_for_login_lockout_and_logs():
    assert {identifiant(v) for v in VARIANTS} == {EMAIL}


@pytest.mark.parametrize("url", LOGINS)
def test_any_spelling_logs_in_its_owner(client, url):
    UserFactory(email=EMAIL, is_staff=True)
    client.post(url, {"username": "  Assmat64@EXAMPLE.fr ", "password": PASSWORD})
    assert client.session.get("_auth_user_id")


@pytest.mark.parametrize("url", LOGINS)
def test_failures_under_every_spelling_lock_the_one_account_for_every_spelling(client, settings, url):
    UserFactory(email=EMAIL, is_staff=True)
    for variant in VARIANTS[: settings.AXES_FAILURE_LIMIT]:
        client.post(url, {"username": variant, "password": "mauvais"})
    for variant in VARIANTS:
        response = client.post(url, {"username": variant, "password": PASSWORD})
        assert response.status_code == 429, f"{variant!r} passe le verrou"
        assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {EMAIL}
    assert set(AccessFailureLog.objects.values_list("username", flat=True)) == {EMAIL}, "the CAF's log shows one person"
