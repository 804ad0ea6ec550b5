"""Fixtures and helpers of the habilitation workflow, shared by the apps that build on it.

Loaded for every test by the root conftest (pytest_plugins).
"""

import re
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from habilitations.tests.otp import code_now
from habilitations.workflow import DemandeHabilitation
from notifications import pdf
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

# A valid one-page PDF, empty, that any reader opens.
STAND_IN_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_text(document) -> str:
    assert bytes(document.pdf) != STAND_IN_PDF, "ce test lit le PDF : marquez-le @pytest.mark.pdf"
    result = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=bytes(document.pdf), capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())  # lines wrap where the page needs


@pytest.fixture(autouse=True)
def _pdf_stand_in(request, monkeypatch):
    """WeasyPrint renders a PDF in about half a second; where the PDF is not what a test checks, a
    one-page stand-in answers (the template is still rendered). Tests marked `pdf` get the real one."""
    if request.node.get_closest_marker("pdf"):
        return

    class StandIn:
        def __init__(self, *, string, base_url=None):
            self.html = string

        def write_pdf(self, **options):
            return STAND_IN_PDF

    monkeypatch.setattr(pdf, "HTML", StandIn)


@pytest.fixture
def linf():
    le_puy, espaly = CommuneFactory(code_insee="43157"), CommuneFactory(code_insee="43089")
    caf = le_puy.departement.caf
    caf.email_habilitations = "linf@caf43.example.fr"
    caf.save()
    fiche = StructureFactory(nom="Point info familles du Velay", rubrique=Rubrique.LINF, commune=le_puy)
    fiche.communes_desservies.set([le_puy, espaly])
    return fiche


FORM = {
    "organisme_nom": "Communauté d'agglomération du Puy", "organisme_siret": "20004000000012",
    "organisme_adresse": "16 place de la Libération, 43000 Le Puy-en-Velay", "demandeur_nom": "Claire Vidal",
    "demandeur_email": "claire.vidal@agglo43.example.fr", "demandeur_telephone": "04 71 04 37 30",
    "communes": "Le Puy-en-Velay, 43089", "delai_recuperation_jours": "7",
    "personnes-TOTAL_FORMS": "3", "personnes-INITIAL_FORMS": "0", "personnes-MIN_NUM_FORMS": "0",
    "personnes-MAX_NUM_FORMS": "20",
    "personnes-0-prenom": "Julie", "personnes-0-nom": "Roche", "personnes-0-email": "julie.roche@agglo43.example.fr",
    "personnes-0-fonction": "Animatrice du relais",
    "personnes-1-prenom": "Paul", "personnes-1-nom": "Brun", "personnes-1-email": "paul.brun@agglo43.example.fr",
    "personnes-1-fonction": "Coordinateur petite enfance",
}


def challenge(client, url: str) -> dict:
    """The form's challenge solved as a person would: its key from the page, the answer read from the store."""
    from captcha.models import CaptchaStore

    hashkey = re.search(r'name="captcha_0" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    return {"captcha_0": hashkey, "captcha_1": CaptchaStore.objects.get(hashkey=hashkey).response}


def submit(client, linf, *, ip="127.0.0.1", **changes):
    url = f"{reverse('pro:demande_habilitation')}?departement=43"
    return client.post(url, {**FORM, "structures": [linf.pk], **challenge(client, url), **changes}, REMOTE_ADDR=ip)


@pytest.fixture
def fresh_rate_limits():
    """The rate limits' counters live in the cache, which outlives a test: each test starts from none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demande(client, linf, fresh_rate_limits):
    submit(client, linf)
    mail.outbox.clear()
    return DemandeHabilitation.objects.get()


def enrol_second_factor(client, next_url: str = "/pro/") -> list[str]:
    """The enrolment page as a person does it: read the key, type the app's code; returns the recovery codes."""
    page = client.get(reverse("pro:activer_second_facteur"), {"next": next_url}).content.decode()
    cle = re.search(r'id="cle-second-facteur">([A-Z2-7 ]+)<', page).group(1)
    response = client.post(reverse("pro:activer_second_facteur"), {"code": code_now(cle), "next": next_url})
    assert response.status_code == 200, response.status_code
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


def give_second_factor(client, user) -> None:
    """This client's session counts as verified by the person's app (what typing the code does)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="application d'authentification", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def rendered_html(monkeypatch):
    """The HTML each PDF is made from, in order (WeasyPrint itself stands in)."""
    pages = []

    class Capture:
        def __init__(self, *, string, base_url=None):
            pages.append(string)

        def write_pdf(self, **options):
            return b"%PDF-1.4\n%%EOF\n"

    monkeypatch.setattr(pdf, "HTML", Capture)
    return pages
