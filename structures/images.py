"""Images uploaded by CAF agents: checked by their content, not by their name."""

import io

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
TAILLE_MAX = 1024 * 1024  # 1 Mo
COTE_MAX = 4000


def read_image(upload) -> tuple[bytes, str]:
    """The image's bytes and type, or a French error saying what is wrong."""
    if upload.size > TAILLE_MAX:
        raise ValidationError(f"L'image pèse {upload.size / 1024 / 1024:.1f} Mo : 1 Mo au plus.")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP).") from None
    if fmt not in FORMATS:
        raise ValidationError(f"Format {fmt} refusé : JPEG, PNG ou WebP seulement.")
    if max(width, height) > COTE_MAX:
        raise ValidationError(f"L'image mesure {width} × {height} pixels : {COTE_MAX} au plus.")
    return data, FORMATS[fmt]
