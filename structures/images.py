"""Images uploaded by CAF agents: checked by their content, not by their name, then re-encoded."""

import io
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
TAILLE_MAX = 1024 * 1024  # 1 Mo
COTE_MAX = 4000
UNREADABLE = "Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."


def read_image(upload) -> tuple[bytes, str]:
    """The image's bytes, re-encoded, and its type, or a French error saying what is wrong."""
    if upload.size > TAILLE_MAX:
        raise ValidationError(f"L'image pèse {upload.size / 1024 / 1024:.1f} Mo : 1 Mo au plus.")
    data = upload.read()
    try:
        # A few hundred bytes can declare 20,000 × 20,000 pixels: Pillow says so before decoding.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
                if fmt in FORMATS and max(width, height) <= COTE_MAX:
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(f"L'image déclare trop de pixels : {COTE_MAX} × {COTE_MAX} au plus.") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(UNREADABLE) from None
    if fmt not in FORMATS:
        raise ValidationError(f"Format {fmt} refusé : JPEG, PNG ou WebP seulement.")
    if max(width, height) > COTE_MAX:
        raise ValidationError(f"L'image mesure {width} × {height} pixels : {COTE_MAX} au plus.")
    return _reencoded(data, fmt), FORMATS[fmt]


def _reencoded(data: bytes, fmt: str) -> bytes:
    """Only the pixels go on: EXIF (GPS position, camera), comments and any bytes appended after the
    image are dropped by writing it anew."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            clean = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") and fmt != "JPEG" else "RGB")
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(UNREADABLE) from None
    out = io.BytesIO()
    clean.save(out, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return out.getvalue()
