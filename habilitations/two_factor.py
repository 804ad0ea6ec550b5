"""The second factor (TOTP, with recovery codes) of the people who read families' data or run the
back office, on django-otp. Enrolled at the first login after activation; a CAF administrator (or
the CNAF) can reset it for a person who lost their phone, never see it."""

import base64

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODES = 10
APPLICATION = "application d'authentification"
SECOURS = "codes de secours"


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The key being enrolled: the same one until it is confirmed, so a reload shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APPLICATION, confirmed=False)


def readable_key(device: TOTPDevice) -> str:
    """The key as authenticator apps ask to type it: base32, by groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="Code QR à scanner avec votre application d'authentification", omitsize=False
    )


def clean_code(text: str) -> str:
    return "".join((text or "").split()).lower()


@transaction.atomic
def confirm_enrolment(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Checks the first code of the app; on success the key is confirmed, new recovery codes replace
    any old ones (returned to be shown once), and this session counts as verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_is_allowed()[0] or not device.verify_token(clean_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    secours = StaticDevice.objects.create(user=device.user, name=SECOURS, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=secours, token=c) for c in codes)
    otp_login(request, device)
    return codes


def verify(*, request, code: str) -> bool:
    """A code of the app (six digits) or a recovery code (used once), each checked against its own
    device so that django-otp's throttling of repeated failures applies."""
    code = clean_code(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in model.objects.filter(user=request.user, confirmed=True):
        verified = verify_token(request.user, device.persistent_id, code)
        if verified is not None:
            otp_login(request, verified)
            return True
    return False


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user: User) -> None:
    """The person enrols again at their next login (lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
