"""The communes of the committed real-world list (structures/tests/data), for the import tests of structures and
of the back office (monenfant/tests): a plugin of the root conftest."""

import pytest
from django.contrib.gis.geos import Point

from structures.models import CodeInseeAncien
from structures.tests.factories import CommuneFactory, DepartementFactory, StructureFactory


@pytest.fixture
def haute_loire(fake_ban):
    """The real communes the file names, with their real points and postal codes; Vazeilles-près-Saugues (43255)
    merged into Esplantas-Vazeilles in 2016 (as import_geographie records it from anciensCodes)."""
    DepartementFactory(code="01", nom="Ain", type_liaison=5)
    extra = {
        "43002": ("Aiguilhe", "43000", 3.88524729137, 45.0530693199),
        "43090": ("Esplantas-Vazeilles", "43170 43580", 3.54670461918, 44.9033054571),
        "43137": ("Monistrol-sur-Loire", "43120", 4.18362572726, 45.2906264528),
        "43244": ("Tence", "43190", 4.3002040908, 45.1133166621),
        "01053": ("Bourg-en-Bresse", "01000", 5.24602125501, 46.2051520382),
    }
    communes = {code: CommuneFactory(code_insee=code) for code in ("43157", "43089", "43041", "43268")}
    for code, (nom, cps, lon, lat) in extra.items():
        communes[code] = CommuneFactory(code_insee=code, nom=nom, codes_postaux=cps, point=Point(lon, lat, srid=4326))
    CodeInseeAncien.objects.create(code_insee="43255", commune=communes["43090"])
    # Typed in the back office before any import: the file's line 26 describes it again.
    StructureFactory(creche=True, nom="Multi-accueil Les Coccinelles", adresse="1 place du Breuil",
                     commune=communes["43157"], telephone="04 71 00 00 25")
    fake_ban.add("2 place du Breuil", lon=3.8851, lat=45.0429, citycode="43157", score=0.93)
    fake_ban.add("7 rue de la Gare", lon=4.1262, lat=45.1430, citycode="43268", score=0.88)
    return communes
