"""Attacks on the login and the secret links, replayed (issue 15): one identity whatever the spelling of
the address; links that are keys stay out of search engines and Referer headers."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from habilitations.models import identifiant
from habilitations.tests.factories import PASSWORD, UserFactory
from habilitations.tests.fixtures import submit

pytestmark = pytest.mark.django_db

EMAIL = "assmat64@example.fr"
VARIANTS = [EMAIL, "ASSMAT64@example.fr", f" {EMAIL}", f"{EMAIL} ", "Assmat64@Example.FR", f"\t{EMAIL}\n"]
LOGINS = ["/pro/connexion/"]  # /administration/login/ sends there (test_second_facteur.py)


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


def secret(response) -> bool:
    return response["X-Robots-Tag"] == "noindex, nofollow" and response["Referrer-Policy"] == "no-referrer"


def test_the_follow_up_link_of_a_request_is_kept_secret(client, linf):
    followed = client.get(submit(client, linf)["Location"])
    assert followed.status_code == 200 and secret(followed)


def test_the_activation_and_reset_link_is_kept_secret(client):
    person = UserFactory(email=EMAIL)
    link = reverse("pro:nouveau_mot_de_passe", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)), "token": default_token_generator.make_token(person)})
    first = client.get(link)
    assert first.status_code == 302 and secret(first)
    form = client.get(first["Location"])  # ".../set-password/": the token is in the session now
    assert form.status_code == 200 and form["X-Robots-Tag"] == "noindex, nofollow"
    assert form["Referrer-Policy"] == "same-origin", "its form's POST keeps an Origin for CSRF"
    assert client.get("/pro/connexion/")["Referrer-Policy"] == "same-origin"


@pytest.mark.usefixtures("commits")  # the outbox sends after the commit
def test_reset_emails_to_one_address_are_throttled_whatever_its_spelling(client):
    from captcha.models import CaptchaStore
    from django.core import mail
    from django.core.cache import cache

    cache.clear()
    UserFactory(email=EMAIL)
    for spelling in ["assmat64@example.fr", "ASSMAT64@example.fr", " Assmat64@example.fr", "assmat64@EXAMPLE.fr",
                     "assmat64@example.fr"]:
        html = client.get("/pro/mot-de-passe-oublie/").content.decode()
        hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
        answer = CaptchaStore.objects.get(hashkey=hashkey).response
        response = client.post("/pro/mot-de-passe-oublie/", {"email": spelling, "captcha_0": hashkey, "captcha_1": answer})
        assert response.status_code == 302, "the same answer every time"
    assert len(mail.outbox) == 3
    cache.clear()


LONG_EMAIL = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 60}.{'e' * 50}.fr"  # well formed, 301 characters


@pytest.mark.parametrize("typed", [LONG_EMAIL, "x" * 100_000])
@pytest.mark.parametrize("url", LOGINS)
def test_an_address_longer_than_any_account_fails_like_another(client, url, typed):
    """django-axes logs the address typed in a column of 255 characters: PostgreSQL refused a longer one (a 500)."""
    response = client.post(url, {"username": typed, "password": "mauvais"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    logged = [*AccessAttempt.objects.values_list("username", flat=True),
              *AccessFailureLog.objects.values_list("username", flat=True)]
    assert all(len(username) <= 254 for username in logged)
