"""Initiatives locales: a CAF's news, beside search results of its département only, images checked."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from structures.images import read_image
from structures.models import InitiativeLocale
from structures.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def png(size=(40, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, fmt)
    return buffer.getvalue()


def test_images_are_checked_by_content_type_and_size():
    data, mime = read_image(SimpleUploadedFile("photo.png", png()))
    assert mime == "image/png" and data.startswith(b"\x89PNG")
    with pytest.raises(ValidationError, match="pas une image lisible"):
        read_image(SimpleUploadedFile("photo.png", b"<svg onload=alert(1)></svg>"))
    with pytest.raises(ValidationError, match="Format GIF refusé"):
        read_image(SimpleUploadedFile("anim.png", png(fmt="GIF")))
    with pytest.raises(ValidationError, match="1 Mo au plus"):
        read_image(SimpleUploadedFile("gros.png", b"0" * (1024 * 1024 + 1)))


def test_an_initiative_shows_beside_results_of_its_departement_only(client):
    pau, le_puy = CommuneFactory(code_insee="64445"), CommuneFactory(code_insee="43157")
    current = InitiativeLocale.objects.create(departement_id="64", titre="Forum de l'accueil du jeune enfant à Pau",
                                              texte="Samedi, au Parvis.", debut=TODAY - datetime.timedelta(days=2),
                                              image=png(), image_type="image/png", image_alt="Affiche du forum")
    InitiativeLocale.objects.create(departement_id="64", titre="Fini", texte="x", debut=TODAY - datetime.timedelta(days=30),
                                    fin=TODAY - datetime.timedelta(days=1))
    elsewhere = InitiativeLocale.objects.create(departement_id="64", titre="Seulement à Lons", texte="x", debut=TODAY)
    elsewhere.communes.set([CommuneFactory(code_insee="64348")])

    html = client.get("/recherche/", {"code_insee": "64445"}).content.decode()
    assert current.titre.replace("'", "&#x27;") in html and 'alt="Affiche du forum"' in html
    assert "Fini" not in html and "Seulement à Lons" not in html
    assert current.titre.replace("'", "&#x27;") not in client.get("/recherche/", {"code_insee": "43157"}).content.decode()
    image = client.get(f"/initiatives/{current.pk}/image/")
    assert image["Content-Type"] == "image/png" and image.content == current.image
    assert pau.departement_id == "64" and le_puy.departement_id == "43"
