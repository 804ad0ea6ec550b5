"""Ids typed or crafted in a URL or a form: one that no database row can have is refused before any query.

A number beyond 64 bits makes SQLite raise OverflowError and PostgreSQL a DataError: a 500 where the
person should get a 404 or a form error.
"""

from django import forms
from django.core.exceptions import ValidationError

BIGINT = range(-(2**63), 2**63)


def is_bigint(value) -> bool:
    """False for an integer no BIGINT column holds; anything else is left to the usual checks."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return True
    return number in BIGINT


def parse_pk(text: str | None) -> int | None:
    """A positive id from a query string, or None."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number < BIGINT.stop else None


def check_pk(field, value):
    """The model's primary key field's Python value for `value`, or ValidationError."""
    pk = field.to_python(value)
    if isinstance(pk, int) and pk not in BIGINT:
        raise ValidationError("Identifiant invalide.", code="invalid")
    return pk


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but an id beyond 64 bits is an invalid choice, not a database error."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else [value]:
            if not is_bigint(pk):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super()._check_values(value)
