"""What an authenticator app does, for the tests (no fixtures here: browser tests import it)."""

import base64


def code_now(cle: str) -> str:
    """The six digits an app shows now for the key the enrolment page displays."""
    from django_otp.oath import totp

    text = "".join(cle.split())
    return f"{totp(base64.b32decode(text + '=' * (-len(text) % 8))):06d}"
