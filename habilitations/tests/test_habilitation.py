"""The habilitation workflow, from a professional's request to people who receive demandes."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from habilitations import services
from habilitations.enums import Role, StatutHabilitation
from habilitations.models import User
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import enrol_second_factor, pdf_text, submit
from habilitations.workflow import DemandeHabilitation
from notifications.models import Notification
from notifications.tasks import flush_outbox

# Notifications leave the outbox once the code's transaction ends, as in production.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]


def test_a_manager_requests_an_habilitation_and_both_sides_are_told(client, linf):
    assert "Point info familles du Velay" in client.get(reverse("pro:demande_habilitation"), {"departement": "43"}).content.decode()
    response = submit(client, linf)
    demande = DemandeHabilitation.objects.get()
    assert response["Location"] == reverse("pro:suivi_habilitation", args=[demande.jeton_suivi])
    assert demande.statut == StatutHabilitation.NON_TRAITEE
    assert sorted(c.code_insee for c in demande.communes.all()) == ["43089", "43157"]
    assert [p.email for p in demande.personnes.order_by("email")] == ["julie.roche@agglo43.example.fr", "paul.brun@agglo43.example.fr"]
    assert sorted(m.to[0] for m in mail.outbox) == ["claire.vidal@agglo43.example.fr", "linf@caf43.example.fr"]
    assert all(n.envoyee_le for n in Notification.objects.all())
    assert "Non traitée" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"communes": "Le Puy-en-Velay, Pau"}, "Hors du territoire de la Caf de la Haute-Loire ou inconnue(s) : Pau"),
        ({"personnes-1-email": "julie.roche@agglo43.example.fr"}, "est indiquée deux fois"),
        ({"personnes-0-prenom": "", "personnes-0-nom": "", "personnes-0-email": "", "personnes-0-fonction": "",
          "personnes-1-prenom": "", "personnes-1-nom": "", "personnes-1-email": "", "personnes-1-fonction": ""},
         "Nommez au moins une personne à habiliter."),
        ({"delai_recuperation_jours": "20"}, "inférieure ou égale à 15"),
        ({"structures": []}, "Choisissez au moins un lieu d&#x27;information."),
    ],
)
def test_bad_requests_are_explained_and_keep_what_was_typed(client, linf, changes, message):
    response = submit(client, linf, **changes)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Communauté d&#x27;agglomération du Puy" in html
    assert not DemandeHabilitation.objects.exists() and not mail.outbox


@pytest.mark.pdf
def test_convention_validation_activation_and_login(client, demande):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    client.force_login(agent)
    change = reverse("admin:habilitations_demandehabilitation_change", args=[demande.pk])
    assert "en attente depuis 0 jour" in client.get(change).content.decode()

    client.post(reverse("admin:habilitations_demande_convention", args=[demande.pk]))
    demande.refresh_from_db()
    assert demande.statut == StatutHabilitation.CONVENTION_ENVOYEE
    [message] = mail.outbox
    assert message.to == ["claire.vidal@agglo43.example.fr"]
    name, content, mimetype = message.attachments[0]
    assert name == f"{demande.reference}-convention.pdf" and mimetype == "application/pdf"
    text = pdf_text(demande.documents.get())
    for expected in ["Convention d'engagement de service et d'habilitation informatique", "Caf de la Haute-Loire",
                     "Communauté d'agglomération du Puy", "Espaly-Saint-Marcel", "43157", "Julie Roche",
                     "Animatrice du relais", "7 jours", "6 mois", "confidentialité"]:
        assert expected.lower() in text.lower(), expected
    document_url = reverse("admin:habilitations_demande_document", args=[demande.pk, demande.documents.get().pk])
    assert client.get(document_url)["Content-Type"] == "application/pdf"

    mail.outbox.clear()
    client.post(reverse("admin:habilitations_demande_valider", args=[demande.pk]))
    demande.refresh_from_db()
    assert demande.statut == StatutHabilitation.VALIDEE and demande.decidee_par == agent
    assert [(t.depuis, t.vers, t.par) for t in demande.transitions.all()] == [
        ("non_traitee", "convention_envoyee", agent), ("convention_envoyee", "validee", agent)
    ]
    activation = next(m for m in mail.outbox if m.to == ["julie.roche@agglo43.example.fr"])
    julie = User.objects.get(email="julie.roche@agglo43.example.fr")
    assert not julie.has_usable_password(), "la CAF ne connaît jamais le mot de passe"
    assert julie.has_role(Role.LINF)

    client.logout()
    link = re.search(r"https?://[^/]+(/pro/nouveau-mot-de-passe/\S+)", activation.body).group(1)
    form_url = client.get(link)["Location"]
    assert client.post(form_url, {"new_password1": "Velay2026", "new_password2": "Velay2026"}).status_code == 200
    assert client.post(form_url, {"new_password1": "Velay2026linfs", "new_password2": "Velay2026linfs"}).status_code == 302
    assert "n'est plus valable" in client.get(link, follow=True).content.decode()
    assert client.post(reverse("pro:connexion"), {"username": julie.email, "password": "Velay2026linfs"}).status_code == 302
    assert client.get(reverse("pro:accueil"))["Location"].startswith(reverse("pro:activer_second_facteur"))
    enrol_second_factor(client)
    assert "Point info familles du Velay" in client.get(reverse("pro:accueil")).content.decode()


def test_invalid_transitions_are_impossible(client, demande):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    with pytest.raises(TransitionNotAllowed):
        services.validate(demande=demande, par=agent)  # the convention has not been sent
    client.force_login(agent)
    response = client.post(reverse("admin:habilitations_demande_valider", args=[demande.pk]), follow=True)
    assert "Impossible : la demande est « non traitée »" in response.content.decode()
    with pytest.raises(ValueError, match="motif"):
        services.refuse(demande=demande, par=agent, motif=" ")
    services.send_convention(demande=demande, par=agent)
    with pytest.raises(TransitionNotAllowed):
        services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    with pytest.raises(TransitionNotAllowed):
        services.refuse(demande=demande, par=agent, motif="trop tard")
    demande.refresh_from_db()
    with pytest.raises(AttributeError):
        demande.statut = StatutHabilitation.NON_TRAITEE  # protected: only transitions change it
    assert DemandeHabilitation.objects.get().statut == StatutHabilitation.VALIDEE


def test_a_refusal_tells_the_requester_why(client, demande):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    client.post(reverse("admin:habilitations_demande_refuser", args=[demande.pk]), {"motif": "Le relais n'est pas référencé comme lieu d'information."})
    demande.refresh_from_db()
    assert demande.statut == StatutHabilitation.REFUSEE
    assert "Le relais n'est pas référencé comme lieu d'information." in mail.outbox[0].body


@pytest.mark.pdf
def test_an_avenant_withdraws_at_once_and_adds_on_its_signed_return(client, demande):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    paul = User.objects.get(email="paul.brun@agglo43.example.fr")
    paul.set_password("Velay2026paul")
    paul.save()
    paul_client = type(client)()
    paul_client.force_login(paul)
    assert paul_client.get(reverse("pro:accueil")).status_code == 200
    mail.outbox.clear()

    client.force_login(agent)
    url = reverse("admin:habilitations_demande_avenant", args=[demande.pk])
    response = client.post(url, {
        "retraits": [demande.personnes.get(email=paul.email).pk],
        "ajouts-TOTAL_FORMS": "2", "ajouts-INITIAL_FORMS": "0", "ajouts-MIN_NUM_FORMS": "0", "ajouts-MAX_NUM_FORMS": "20",
        "ajouts-0-prenom": "Inès", "ajouts-0-nom": "Mercier", "ajouts-0-email": "ines.mercier@agglo43.example.fr",
        "ajouts-0-fonction": "Éducatrice de jeunes enfants",
    })
    assert response.status_code == 302
    document = demande.documents.get(type="avenant")
    text = pdf_text(document)
    assert "Avenant n° 1" in text and "Inès Mercier" in text and "Paul Brun" in text
    assert text.index("Personnes ajoutées") < text.index("Inès Mercier") < text.index("Personnes retirées") < text.index("Paul Brun")
    # Sent to the organisme only: Inès has no account until the signed avenant comes back.
    assert {m.to[0] for m in mail.outbox} == {"claire.vidal@agglo43.example.fr"}
    assert not User.objects.filter(email="ines.mercier@agglo43.example.fr").exists()
    assert not demande.personnes.filter(email="ines.mercier@agglo43.example.fr").exists()
    paul.refresh_from_db()
    assert not paul.is_active and not paul.has_role(Role.LINF)
    assert paul_client.get(reverse("pro:accueil")).status_code == 302, "sa session ne vaut plus rien"
    page = client.get(reverse("admin:habilitations_demandehabilitation_change", args=[demande.pk])).content.decode()
    assert "envoyé, en attente du retour signé" in page and "Avenant n° 1 signé reçu" in page

    mail.outbox.clear()
    avenant = demande.avenants.get()
    response = client.post(reverse("admin:habilitations_demande_avenant_signe", args=[demande.pk, avenant.pk]), follow=True)
    assert "il prend effet" in response.content.decode()
    ines = User.objects.get(email="ines.mercier@agglo43.example.fr")
    assert ines.has_role(Role.LINF) and [m.to for m in mail.outbox] == [["ines.mercier@agglo43.example.fr"]]
    avenant.refresh_from_db()
    assert avenant.statut == "signe" and [t.vers for t in avenant.transitions.all()] == ["envoye", "signe"]
    # Recorded twice (a double click): refused, nothing sent again.
    response = client.post(reverse("admin:habilitations_demande_avenant_signe", args=[demande.pk, avenant.pk]), follow=True)
    assert "déjà « signé reçu »" in response.content.decode() and len(mail.outbox) == 1


def test_a_cancelled_avenant_never_habilitates_its_persons(demande):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    ajout = {"prenom": "Inès", "nom": "Mercier", "email": "ines.mercier@agglo43.example.fr", "fonction": "EJE"}
    avenant = services.make_avenant(demande=demande, par=agent, ajouts=[ajout], retraits=[])
    with pytest.raises(ValueError, match="Déjà habilitée"):  # already named by the avenant waiting for its signature
        services.make_avenant(demande=demande, par=agent, ajouts=[ajout], retraits=[])
    services.cancel_avenant(avenant=avenant, par=agent, motif="jamais retourné")
    with pytest.raises(ValueError, match="annulé"):
        services.record_signed_avenant(avenant=avenant, par=agent)
    assert not User.objects.filter(email="ines.mercier@agglo43.example.fr").exists()
    assert demande.transitions.last().commentaire == "Avenant n° 1 annulé : jamais retourné"


def test_another_caf_cannot_record_an_avenant(client, demande):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    ajout = {"prenom": "Inès", "nom": "Mercier", "email": "ines.mercier@agglo43.example.fr", "fonction": "EJE"}
    avenant = services.make_avenant(demande=demande, par=agent, ajouts=[ajout], retraits=[])
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    for name in ("habilitations_demande_avenant_signe", "habilitations_demande_avenant_annuler"):
        assert client.post(reverse(f"admin:{name}", args=[demande.pk, avenant.pk])).status_code == 404, name
    avenant.refresh_from_db()
    assert avenant.en_attente


def test_another_caf_never_sees_a_request(client, demande):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    assert demande.reference not in client.get(reverse("admin:habilitations_demandehabilitation_changelist")).content.decode()
    for name in ("habilitations_demandehabilitation_change", "habilitations_demande_convention",
                 "habilitations_demande_valider", "habilitations_demande_avenant"):
        assert client.post(reverse(f"admin:{name}", args=[demande.pk])).status_code == 404, name
    demande.refresh_from_db()
    assert demande.statut == StatutHabilitation.NON_TRAITEE


def test_the_caf_list_shows_waiting_time_oldest_first(client, linf):
    submit(client, linf)
    submit(client, linf, organisme_nom="Association Familles du Velay")
    old = DemandeHabilitation.objects.get(organisme_nom="Association Familles du Velay")
    DemandeHabilitation.objects.filter(pk=old.pk).update(cree_le=timezone.now() - datetime.timedelta(days=12))
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    html = client.get(reverse("admin:habilitations_demandehabilitation_changelist")).content.decode()
    assert html.index("Association Familles du Velay") < html.index("Communauté d&#x27;agglomération du Puy")
    assert "12 jour(s)" in html


class BrokenSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP injoignable")


def test_a_notification_survives_a_failed_send_and_the_outbox_sends_it_later(client, linf, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenSMTP"
    submit(client, linf)
    assert DemandeHabilitation.objects.count() == 1, "la demande est enregistrée même si l'envoi échoue"
    pending = Notification.objects.filter(envoyee_le__isnull=True)
    assert pending.count() == 2 and all(n.tentatives >= 1 for n in pending)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Five minutes pass: the rows are older than the sweep's two minutes, and their next attempt is overdue.
    cinq_minutes_plus_tot = timezone.now() - datetime.timedelta(minutes=5)
    pending.update(cree_le=cinq_minutes_plus_tot, prochain_essai_le=cinq_minutes_plus_tot)
    assert flush_outbox() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["claire.vidal@agglo43.example.fr", "linf@caf43.example.fr"]
    assert flush_outbox() == 0
