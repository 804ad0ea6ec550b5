"""The captcha read aloud in French, for people who cannot see its image (RGAA 1.4: a captcha has
an alternative). Debian's espeak-ng speaks the characters one by one; without it, no audio link."""

import re
import shutil
import subprocess

from captcha.models import CaptchaStore
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

ESPEAK = shutil.which("espeak-ng")
CLE = re.compile(r"[0-9a-f]{40}")
# French names of letters espeak-ng would otherwise read as part of a word.
NOMS = {"w": "double vé", "y": "i grec"}


def epele(challenge: str) -> str:
    """"KZ3MY" → "K. Z. 3. M. i grec." : one character per sentence, a pause between each."""
    return " ".join(f"{NOMS.get(c.lower(), c.upper())}." for c in challenge if c.isalnum())


@require_GET
@never_cache
def captcha_audio(request, key: str):
    if not ESPEAK or not CLE.fullmatch(key):
        raise Http404
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        raise Http404
    texte = f"Le code est : {epele(store.challenge)} Je répète : {epele(store.challenge)}"
    try:
        # An argument list, no shell; the text holds only our words and the letters and digits of the code.
        wav = subprocess.run(  # noqa: S603
            [ESPEAK, "-v", "fr", "-s", str(settings.CAPTCHA_AUDIO_VITESSE), "--stdout", texte],
            capture_output=True, timeout=10, check=True,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        raise Http404 from None
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="code.wav"'
    return response
