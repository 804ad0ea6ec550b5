"""The public habilitation form is no mail relay (issue 15, medium §4): a challenge, limits per
connection and per address, and nothing typed in it echoed to an address typed in it."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from habilitations import services
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import FORM, challenge, submit
from habilitations.workflow import DemandeHabilitation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]

URL = f"{reverse('pro:demande_habilitation')}?departement=43"
PHISHING = "URGENT: votre compte CAF est suspendu"
SHORT = "URGENT CAF suspendu"  # the phone holds 20 characters
BAIT = {
    "organisme_nom": f"{PHISHING}, rappelez le 0899 00 00 00",
    "organisme_adresse": f"{PHISHING} : https://caf-regularisation.example.com",
    "demandeur_nom": PHISHING, "demandeur_telephone": SHORT,
    "demandeur_email": "victime@example.fr",
    "personnes-0-prenom": PHISHING, "personnes-0-nom": PHISHING, "personnes-0-fonction": PHISHING,
    "personnes-1-prenom": "Paul", "personnes-1-nom": f"{PHISHING} (bis)", "personnes-1-fonction": "Rappelez vite",
}


def every_text(message) -> str:
    parts = [message.subject, message.body, *(content for content, _ in getattr(message, "alternatives", []))]
    return "\n".join(parts + [str(a[1]) for a in message.attachments])


def test_the_form_asks_the_password_reset_challenge(client, linf):
    html = client.get(URL).content.decode()
    assert "Recopiez le texte de l&#x27;image" in html and "/captcha/image/" in html
    assert "Écouter le code" in html and "/captcha/audio/" in html, "an alternative to the image (RGAA 1.4)"
    for answer in ({"captcha_0": "", "captcha_1": ""}, {**challenge(client, URL), "captcha_1": "faux"}):
        response = client.post(URL, {**FORM, "structures": [linf.pk], **answer})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Communauté d&#x27;agglomération du Puy" in page, "what was typed is kept"
    assert not DemandeHabilitation.objects.exists() and not mail.outbox
    assert submit(client, linf).status_code == 302


def test_no_text_typed_by_the_public_reaches_an_email(client, linf):
    response = submit(client, linf, **BAIT)
    assert response.status_code == 302
    demande = DemandeHabilitation.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == ["linf@caf43.example.fr", "victime@example.fr"]
    for message in mail.outbox:
        text = every_text(message)
        for typed in (PHISHING, SHORT, "0899", "caf-regularisation", "Rappelez", "20004000000012", "agglo43"):
            assert typed not in text, (message.to, typed)
    [accuse] = [m for m in mail.outbox if m.to == ["victime@example.fr"]]
    assert demande.reference in accuse.subject and demande.reference in accuse.body
    assert reverse("pro:suivi_habilitation", args=[demande.jeton_suivi]) in accuse.body
    assert "Caf de la Haute-Loire" in accuse.body, "the CAF chosen in our list"
    assert "ignorez ce message" in accuse.body

    # The secret link shows the request as typed; the CAF reads it all in the back office.
    suivi = client.get(response["Location"]).content.decode()
    assert "URGENT: votre compte CAF est suspendu, rappelez le 0899 00 00 00" in suivi

    # Refused by an agent: the agent's reason, still none of the typed text.
    mail.outbox.clear()
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    services.refuse(demande=demande, par=agent, motif="Demande non reconnue par la CAF.")
    [refus] = mail.outbox
    assert refus.to == ["victime@example.fr"] and "Demande non reconnue par la CAF." in refus.body
    assert PHISHING not in every_text(refus) and SHORT not in every_text(refus)
    suivi = client.get(response["Location"]).content.decode()
    assert "Motif : Demande non reconnue par la CAF." in suivi
    assert "effacées six mois après le refus" in suivi


@pytest.fixture
def still_clock(time_machine):
    """The limits count in windows of the clock: one that closed during a test would start a new count."""
    time_machine.move_to(timezone.now(), tick=False)


@pytest.mark.usefixtures("still_clock")
def test_one_connection_sends_ten_requests_an_hour(client, linf):
    for n in range(10):
        assert submit(client, linf, demandeur_email=f"demandeur{n}@agglo43.example.fr").status_code == 302
    mail.outbox.clear()
    response = submit(client, linf, demandeur_email="onzieme@agglo43.example.fr", organisme_nom="Onzième organisme")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de demandes envoyées" in html
    assert "une même connexion envoie au plus 10 demandes d&#x27;habilitation par heure" in html
    assert 'value="Onzième organisme"' in html and 'value="julie.roche@agglo43.example.fr"' in html, "nothing lost"
    assert 'name="captcha_0"' in html, "a new challenge to solve"
    assert DemandeHabilitation.objects.count() == 10 and not mail.outbox
    assert submit(client, linf, ip="192.0.2.7", demandeur_email="onzieme@agglo43.example.fr").status_code == 302, \
        "another connection is not held back"


@pytest.mark.usefixtures("still_clock")
def test_one_mailbox_gets_five_acknowledgements_a_day_whatever_its_spelling(client, linf):
    spellings = ["victime@example.fr", "VICTIME@example.fr", " victime@EXAMPLE.fr", "victime+1@example.fr",
                 "victime+hab@example.fr"]
    for n, spelling in enumerate(spellings):
        assert submit(client, linf, ip=f"192.0.2.{n + 1}", demandeur_email=spelling).status_code == 302
    mail.outbox.clear()
    response = submit(client, linf, ip="198.51.100.9", demandeur_email="Victime+6@example.fr")
    assert response.status_code == 429
    assert "une même adresse électronique reçoit au plus 5 accusés de réception par jour" in response.content.decode()
    assert DemandeHabilitation.objects.count() == 5 and not mail.outbox
    assert submit(client, linf, ip="198.51.100.9", demandeur_email="autre@example.fr").status_code == 302


@pytest.mark.usefixtures("still_clock")
def test_mistakes_are_not_counted(client, linf):
    for _ in range(12):
        assert submit(client, linf, communes="Pau").status_code == 400
    assert submit(client, linf).status_code == 302
