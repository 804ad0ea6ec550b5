from django.core.exceptions import ValidationError


class LettersAndDigitsValidator:
    """At least one letter and one digit, as the habilitation convention asks."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError("Le mot de passe doit contenir des lettres et des chiffres.", code="letters_digits")

    def get_help_text(self):
        return "Votre mot de passe doit contenir des lettres et des chiffres."
