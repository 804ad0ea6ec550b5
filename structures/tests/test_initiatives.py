"""Initiatives locales: a CAF's news, beside search results of its département only, images checked."""

import datetime
import io
import zlib

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


def test_a_decompression_bomb_is_refused_in_french():
    data = bytearray(png(size=(1, 1)))
    data[16:24] = (20000).to_bytes(4, "big") * 2  # IHDR: width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    assert len(data) < 300
    with pytest.raises(ValidationError, match="trop de pixels"):
        read_image(SimpleUploadedFile("bombe.png", bytes(data)))


def test_what_is_not_pixels_is_dropped_gps_and_appended_payloads_included():
    exif = Image.Exif()
    exif[0x010F] = "Appareil"  # camera maker
    exif[0x8825] = {1: "N", 2: (45.0, 2.0, 39.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "purple").save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()
    data, mime = read_image(SimpleUploadedFile("photo.jpg", buffer.getvalue() + b"<script>payload</script>"))
    assert mime == "image/jpeg" and b"payload" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and image.size == (40, 30)
