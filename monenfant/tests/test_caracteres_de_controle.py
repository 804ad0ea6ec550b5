"""Control characters never enter the database, so a streamed XML export can never meet one (issue 15)."""

import pytest
from django import forms

from demandes.forms import ContactForm, MessageForm
from habilitations.forms import ConnexionForm
from monenfant.validators import NoControlCharacters, without_control_characters

pytestmark = pytest.mark.django_db

CONTACT = {"prenom": "Léa", "nom": "Martin", "email": "lea@example.fr", "telephone": "06 12 34 56 78",
           "moyen_prefere": "email"}


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f"])
def test_a_family_typing_a_control_character_gets_a_french_error(character):
    form = ContactForm({**CONTACT, "nom": f"Mar{character}tin"})
    assert not form.is_valid()
    assert "caractère invisible" in " ".join(form.errors["nom"])


def test_tabs_and_line_breaks_are_text():
    form = MessageForm({"message": "Bonjour,\r\n\tnous arrivons en janvier."})
    assert form.is_valid(), form.errors


def test_every_text_field_has_the_rule_including_the_admin_and_the_login():
    assert any(isinstance(v, NoControlCharacters) for v in forms.CharField().validators)
    with pytest.raises(forms.ValidationError):
        forms.CharField().clean("a\x07b")
    assert any(type(v).__name__ == "NoControlCharacters" for v in ConnexionForm.base_fields["password"].validators)


def test_the_cleaning_keeps_what_is_text():
    assert without_control_characters("Ma\x00rtin\x1b\t\n") == "Martin\t\n"


@pytest.mark.postgis
def test_the_demandes_stored_before_are_cleaned_by_the_migration():
    import importlib

    from django.apps import apps

    from demandes.models import Demande
    from demandes.tests.test_exports import make_demandes
    from structures.tests.factories import CommuneFactory, StructureFactory

    le_puy = CommuneFactory(code_insee="43157")
    linf = StructureFactory(rubrique="LINF", commune=le_puy)
    dirty, clean = make_demandes(linf, le_puy, 2)
    Demande.objects.filter(pk=dirty.pk).update(nom="Mar\x1btin", message="Bonjour\x0c\r\nà bientôt")
    migration = importlib.import_module("demandes.migrations.0011_sans_caracteres_de_controle")
    migration.clean(apps, None)
    dirty.refresh_from_db()
    assert (dirty.nom, dirty.message) == ("Martin", "Bonjour\r\nà bientôt")
    assert Demande.objects.get(pk=clean.pk).nom == clean.nom
