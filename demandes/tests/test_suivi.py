"""The family follows its demande through the private link of its confirmation email, and may withdraw it:
destroyed at once, the LINF told; the link dies with the demande."""

import datetime
import string
from urllib.parse import quote

import lxml.html
import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from demandes import services
from demandes.models import AccesDemande, Demande, Enfant
from demandes.tests.conftest import open_linf
from habilitations.tests.test_e2e import ARTIFACTS
from monenfant.francais import date_longue
from notifications.models import Notification
from notifications.tasks import CORPS_EFFACE

pytestmark = pytest.mark.django_db
PRIVATE = ("Sarah", "Martin", "sarah.martin@example.fr", "06 12 34 56 78", "Nous arrivons")


def envoyer(commune, **changes) -> Demande:
    today = timezone.localdate()
    answers = {"commune": commune, "enfants": [{"date_naissance": today - datetime.timedelta(days=400)}],
               "qualite": "parent", "besoin": "creche", "a_partir_du": today + datetime.timedelta(days=30),
               "prenom": "Sarah", "nom": "Martin", "email": "sarah.martin@example.fr", "telephone": "06 12 34 56 78",
               "message": "Nous arrivons au Puy en janvier.", **changes}
    return services.create_demande_information(**answers)


def lien(demande: Demande, suffixe: str = "") -> str:
    return f"/demande-information/suivi/{demande.jeton_suivi}/{suffixe}"


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.content.decode())


def test_the_token_is_long_random_and_unique(velay):
    une, autre = envoyer(velay["le_puy"]), envoyer(velay["le_puy"])
    for demande in (une, autre):
        assert len(demande.jeton_suivi) == 43  # 32 random bytes
        assert set(demande.jeton_suivi) <= set(string.ascii_letters + string.digits + "-_")
    assert une.jeton_suivi != autre.jeton_suivi
    with pytest.raises(IntegrityError), transaction.atomic():
        Demande.objects.filter(pk=autre.pk).update(jeton_suivi=une.jeton_suivi)
    # The demandes sent before the link have none: several may.
    Demande.objects.update(jeton_suivi=None)


@pytest.mark.usefixtures("commits")
def test_the_confirmation_email_carries_the_absolute_link_blanked_in_the_outbox_once_sent(velay):
    demande = envoyer(velay["le_puy"])
    family = next(m for m in mail.outbox if m.to == [demande.email])
    assert f"{settings.SITE_URL}/demande-information/suivi/{demande.jeton_suivi}/" in family.body
    assert settings.SITE_URL.startswith("http")
    linf = next(m for m in mail.outbox if m.to == [velay["person"].email])
    assert demande.jeton_suivi not in linf.body  # the LINF gets no key to the family's page
    row = Notification.objects.get(destinataires=demande.email)
    assert row.secret and row.envoyee_le and row.corps == CORPS_EFFACE


def test_the_page_shows_the_status_the_dates_and_the_linf_and_nothing_personal(client, velay):
    demande = envoyer(velay["le_puy"], moyen_prefere="telephone")
    response = client.get(lien(demande))
    assert response.status_code == 200
    html = response.content.decode()
    doc = page(response)
    assert len(doc.xpath("//h1")) == 1 and demande.reference in doc.xpath("normalize-space(//h1)")
    assert "Envoyée, pas encore lue" in html and f"Envoyée le {date_longue(demande.cree_le)}" in html
    assert "PIF du Velay" in html and "dans les 5 jours</strong>" in html and "par téléphone" in html
    for private in PRIVATE:
        assert private not in html
    # A key in the URL: no Referer, no index, no cache.
    assert response["Referrer-Policy"] == "no-referrer" and "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert doc.xpath("//head/meta[@name='robots']/@content") == ["noindex, nofollow"]
    assert doc.xpath("//a[normalize-space()='Retirer ma demande']/@href") == [lien(demande, "retirer/")]

    # The LINF opens it: the page says when, and which place.
    opened_on = timezone.now() + datetime.timedelta(days=2)
    services.traiter(demande, par=velay["person"], le=opened_on)
    html = client.get(lien(demande)).content.decode()
    assert "Lue par le lieu d'information" in html and "Étape 2 sur 2" in html
    assert f"Lue le {date_longue(opened_on)} par <strong>PIF du Velay</strong>" in html
    assert "délai annoncé : 5 jours" in html


def test_past_the_announced_delay_the_page_says_so(client, velay):
    demande = envoyer(velay["le_puy"])
    assert "Le délai annoncé est dépassé" not in client.get(lien(demande)).content.decode()
    Demande.objects.filter(pk=demande.pk).update(cree_le=timezone.now() - datetime.timedelta(days=7))
    assert "Le délai annoncé est dépassé" in client.get(lien(demande)).content.decode()


@pytest.mark.parametrize("jeton", [
    "a" * 43, "a" * 42, "a" * 44, "x" * 5000, "é" * 43, "👶" * 20, "\x00" * 43, "../../admin", "' OR '1'='1",
])
@pytest.mark.parametrize("suffixe", ["", "retirer/"])
def test_an_unknown_or_crafted_token_is_the_french_404(client, velay, jeton, suffixe):
    envoyer(velay["le_puy"])
    url = f"/demande-information/suivi/{quote(jeton, safe='')}/{suffixe}"
    response = client.get(url)
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()
    assert client.post(url).status_code in (404, 405)  # 405: the page itself only shows
    assert Demande.objects.count() == 1


def test_get_never_withdraws(client, velay):
    demande = envoyer(velay["le_puy"])
    question = client.get(lien(demande, "retirer/"))
    assert question.status_code == 200 and client.head(lien(demande, "retirer/")).status_code == 200
    doc = page(question)
    assert doc.xpath("normalize-space(//h1)") == f"Retirer votre demande {demande.reference} ?"
    form = doc.xpath("//form[@method='post']")[0]
    assert form.get("action") == lien(demande, "retirer/") and form.xpath(".//input[@name='csrfmiddlewaretoken']")
    assert form.xpath("normalize-space(.//button[@type='submit'])") == "Oui, retirer ma demande"
    # Its form posts with the site's origin: the page sends its origin alone, never its path.
    assert question["Referrer-Policy"] == "strict-origin" and "no-store" in question["Cache-Control"]
    assert client.post(lien(demande)).status_code == 405  # the page itself only shows
    assert Demande.objects.filter(pk=demande.pk).exists()


@pytest.mark.usefixtures("commits")
def test_withdrawing_destroys_the_demande_at_once_and_tells_the_linf(client, velay):
    other_person = open_linf("Relais du Puy", velay["le_puy"], person_email="paul@relais43.example.fr")[1]
    demande = envoyer(velay["le_puy"])
    AccesDemande.objects.create(demande=demande, user=velay["person"], action="lecture")
    Notification.objects.create(destinataires=demande.email, sujet="en attente", corps="Bonjour Sarah",
                                objet=demande.objet_notifications)
    mail.outbox.clear()

    response = client.post(lien(demande, "retirer/"))
    assert response.status_code == 302 and response["Location"] == "/demande-information/retiree/"
    assert not Demande.objects.filter(pk=demande.pk).exists()
    assert not Enfant.objects.filter(demande_id=demande.pk).exists()
    assert not AccesDemande.objects.filter(demande_id=demande.pk).exists()
    assert not Demande.linfs.through.objects.filter(demande_id=demande.pk).exists()
    assert not Notification.objects.filter(objet=demande.objet_notifications).exists()
    # One short email to each person of the LINF that received it: the reference, nothing personal.
    told = sorted(mail.outbox, key=lambda m: m.to)
    assert [m.to for m in told] == [[velay["person"].email], [other_person.email]]
    for email in told:
        assert demande.reference in email.subject and "retirée par la famille" in email.subject
        assert demande.reference in email.body and "détruisez" not in email.body  # it was not opened
        for private in PRIVATE:
            assert private not in email.body + email.subject
    assert Notification.objects.filter(sujet__contains=demande.reference).count() == 2

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert page(done).xpath("normalize-space(//div[contains(@class, 'fr-alert--success')]//h1)") == "Votre demande est retirée"
    # The link died with the demande.
    assert client.get(lien(demande)).status_code == 404
    assert client.get(lien(demande, "retirer/")).status_code == 404
    assert client.post(lien(demande, "retirer/")).status_code == 404


@pytest.mark.usefixtures("commits")
def test_a_linf_that_had_opened_it_is_asked_to_destroy_its_copies(client, velay):
    demande = envoyer(velay["le_puy"])
    services.open_demande(demande=demande, user=velay["person"])
    mail.outbox.clear()
    client.post(lien(demande, "retirer/"))
    email, = mail.outbox
    assert "détruisez-la" in email.body


def test_another_demandes_token_cannot_withdraw_this_one(client, velay):
    mine, theirs = envoyer(velay["le_puy"]), envoyer(velay["le_puy"], email="autre@example.fr")
    response = client.post(lien(theirs, "retirer/"), {"reference": mine.reference, "jeton": mine.jeton_suivi})
    assert response.status_code == 302
    assert list(Demande.objects.values_list("pk", flat=True)) == [mine.pk]
    assert client.get(lien(mine)).status_code == 200


def test_withdrawing_needs_the_form_csrf_token(velay):
    demande = envoyer(velay["le_puy"])
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(lien(demande, "retirer/")).status_code == 403
    assert Demande.objects.filter(pk=demande.pk).exists()
    question = browser.get(lien(demande, "retirer/"))
    token = page(question).xpath("//input[@name='csrfmiddlewaretoken']/@value")[0]
    assert browser.post(lien(demande, "retirer/"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Demande.objects.filter(pk=demande.pk).exists()


def test_tokens_cannot_be_tried_cheaply(client, velay, settings):
    settings.RATELIMIT_ENABLE = True
    demande = envoyer(velay["le_puy"])
    statuses = [client.get(f"/demande-information/suivi/{'a' * 43}/").status_code for _ in range(30)]
    assert set(statuses) == {404}
    refused = client.get(lien(demande))
    assert refused.status_code == 429 and "Réessayez dans une heure" in refused.content.decode()
    assert client.post(lien(demande, "retirer/")).status_code == 429
    assert Demande.objects.filter(pk=demande.pk).exists()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_family_opens_its_link_sees_its_status_and_withdraws(browser, live_server, velay):
    ARTIFACTS.mkdir(exist_ok=True)
    demande = envoyer(velay["le_puy"])
    family = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    family.goto(live_server.url + lien(demande))
    expect(family.get_by_role("heading", level=1)).to_have_text(f"Votre demande d'information {demande.reference}")
    expect(family.locator("#statut")).to_contain_text("Envoyée, pas encore lue")
    expect(family.get_by_text("dans les 5 jours")).to_be_visible()
    family.screenshot(path=ARTIFACTS / "suivi-1-demande.png", full_page=True)
    family.get_by_role("link", name="Retirer ma demande").click()
    expect(family.get_by_role("heading", level=1)).to_have_text(f"Retirer votre demande {demande.reference} ?")
    family.get_by_role("button", name="Oui, retirer ma demande").click()
    expect(family.get_by_role("heading", level=1)).to_have_text("Votre demande est retirée")
    family.screenshot(path=ARTIFACTS / "suivi-2-retiree.png", full_page=True)
    assert not Demande.objects.exists()
    assert Notification.objects.filter(destinataires=velay["person"].email, sujet__contains="retirée").count() == 1
    assert family.goto(live_server.url + lien(demande)).status == 404
    expect(family.get_by_role("heading", level=1)).to_have_text("Page introuvable")


def test_the_personal_data_page_tells_of_the_link_on_a_new_site_and_after_the_upgrade(client):
    import importlib

    from guide.seed_pages_legales import REMPLACEMENTS_SUIVI_DEMANDE
    from guide.tests.pages_legales import verifier_la_migration_du_texte

    html = client.get("/donnees-personnelles/").content.decode()
    assert "<strong>Suivre ou retirer votre demande</strong>" in html and "Ce lien disparaît avec la\ndemande" in html
    migration = importlib.import_module("guide.migrations.0011_suivi_des_demandes")
    verifier_la_migration_du_texte(migration.suivi_des_demandes, REMPLACEMENTS_SUIVI_DEMANDE)
