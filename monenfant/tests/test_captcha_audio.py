"""The captcha has an alternative a blind person can pass: the code read aloud in French."""

import re
import shutil

import pytest
from captcha.models import CaptchaStore

from monenfant.captcha_audio import epele
from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]


def test_make_installs_the_voice():
    # The Makefile's system packages include espeak-ng: without it the audio link would vanish.
    assert shutil.which("espeak-ng"), "espeak-ng manque : make run et make test l'installent (Makefile, APT_PACKAGES)"


def test_the_code_is_spelled_one_character_at_a_time():
    assert epele("kz3wy") == "K. Z. 3. double vé. i grec."


def test_the_captcha_can_be_heard_as_a_french_wav(client):
    # The habilitation request uses the same widget (habilitations/tests/test_relais.py).
    html = client.get("/pro/mot-de-passe-oublie/").content.decode()
    assert 'alt="Code à recopier' in html and "Écouter le code" in html
    key = re.search(r'href="/captcha/audio/([0-9a-f]{40})\.wav"', html).group(1)
    response = client.get(f"/captcha/audio/{key}.wav")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF" and len(response.content) > 20_000  # seconds of speech, not a header
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("key", ["0" * 40, "abc", "A" * 40, "0" * 39 + "\x00", "0" * 400])
def test_an_unknown_or_crafted_key_is_404(client, key):
    assert client.get(f"/captcha/audio/{key}.wav").status_code == 404


def test_an_expired_code_is_not_read(client, time_machine):
    client.get("/pro/mot-de-passe-oublie/")
    store = CaptchaStore.objects.order_by("-pk").first()
    time_machine.shift(60 * 60)
    assert client.get(f"/captcha/audio/{store.hashkey}.wav").status_code == 404
