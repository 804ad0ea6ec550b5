"""Text typed into any form of the site: no control characters.

XML 1.0 cannot carry them (a family's demande exported to its LINF would break in the middle of the
file), and nobody types them on purpose. Tab, line feed and carriage return stay allowed.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return CONTROL.sub("", text)


@deconstructible
class NoControlCharacters:
    message = "Ce texte contient un caractère invisible non autorisé : retapez-le ou collez-le sans mise en forme."
    code = "control_characters"

    def __call__(self, value):
        if isinstance(value, str) and CONTROL.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)
