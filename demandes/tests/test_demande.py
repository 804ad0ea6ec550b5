"""A family's demande d'information: the steps, the routing, the LINF's reading, nobody else."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from demandes.models import AccesDemande, Demande
from demandes.tests.conftest import open_linf
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from habilitations.tests.fixtures import pdf_text
from structures.tests.factories import CommuneFactory

# The notifications leave the outbox once the code's transaction ends, as in production.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits")]

IN_A_MONTH = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
BORN = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
STEPS = {
    "commune": {"commune": "Le Puy-en-Velay (43000)", "code_insee": "43157"},
    "vous": {"qualite": "parent", "allocataire": "1", "numero_allocataire": "1234567", "situation": "recherche"},
    "enfants": {"enfants-TOTAL_FORMS": "2", "enfants-INITIAL_FORMS": "0", "enfants-MIN_NUM_FORMS": "0",
                "enfants-MAX_NUM_FORMS": "6", "enfants-0-date_naissance": BORN},
    "besoin": {"besoin": "creche", "a_partir_du": IN_A_MONTH, "jours_horaires": "lundi au jeudi 8 h – 18 h"},
    "contact": {"prenom": "Sarah", "nom": "Martin", "email": "sarah.martin@example.fr", "telephone": "06 12 34 56 78",
                "moyen_prefere": "telephone", "moment_prefere": "le midi"},
    "message": {"message": "Nous arrivons au Puy en janvier."},
}


def go_through(client, until="recapitulatif", **changes):
    for name, data in STEPS.items():
        if name == until:
            break
        response = client.post(f"/demande-information/etape/{name}/", {**data, **changes.get(name, {})})
        assert response.status_code == 302, (name, response.content.decode()[-2000:])
    return response


@pytest.mark.pdf
def test_a_family_sends_a_demande_the_linf_is_told_without_personal_data(client, velay):
    go_through(client)
    recap = client.get("/demande-information/etape/recapitulatif/").content.decode()
    assert "Sarah Martin" in recap and "six mois" in recap
    response = client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    demande = Demande.objects.get()
    assert response["Location"] == f"/demande-information/confirmation/{demande.reference}/"
    assert list(demande.linfs.all()) == [velay["linf"]]
    assert demande.situation == "recherche" and demande.enfants.count() == 1
    family, linf = sorted(mail.outbox, key=lambda m: m.to[0] != "sarah.martin@example.fr")
    assert family.to == ["sarah.martin@example.fr"] and demande.reference in family.body
    assert linf.to == ["julie@pif43.example.fr"]
    for private in ("Sarah", "Martin", "06 12 34 56 78", "sarah.martin"):
        assert private not in linf.body + linf.subject
    confirmation = client.get(response["Location"])
    assert confirmation["Referrer-Policy"] == "no-referrer" and "noindex" in confirmation["X-Robots-Tag"]
    page = confirmation.content.decode()
    assert demande.reference in page
    # The family is told by when the LINF reads it: its guichet's delay.
    delai = velay["linf"].guichet.delai_traitement_jours
    assert re.search(rf"dans les {delai} jours</strong>, puis un professionnel vous contacte par téléphone", page)
    assert f"dans les {delai} jours" in family.body
    download = client.get(f"/demande-information/confirmation/{demande.reference}/pdf/")
    assert download["Content-Type"] == "application/pdf" and download["Referrer-Policy"] == "no-referrer"
    text = pdf_text(type("Doc", (), {"pdf": download.content}))
    assert "Sarah Martin" in text and "lundi au jeudi" in text
    other = type(client)()
    assert other.get(f"/demande-information/confirmation/{demande.reference}/").status_code == 404


def test_each_linf_person_gets_an_email_of_their_own(client, velay):
    make_person(Role.LINF, structure=velay["linf"], email="paul@pif43.example.fr")
    go_through(client)
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    to_linf = [m for m in mail.outbox if "nouvelle demande" in m.subject]
    assert sorted(m.to for m in to_linf) == [["julie@pif43.example.fr"], ["paul@pif43.example.fr"]]
    assert all(not m.cc and not m.bcc for m in to_linf), "nobody learns the other's address"


def test_a_commune_nobody_serves_is_said_at_once_with_help_nearby(client, velay):
    response = client.post("/demande-information/etape/commune/", {"commune": "Yssingeaux (43200)", "code_insee": "43268"})
    html = response.content.decode()
    assert "Pas encore de demande en ligne pour Yssingeaux" in html
    assert "Relais des Sucs" in html and "04 71 59 00 00" in html
    assert client.get("/demande-information/etape/vous/")["Location"] == "/demande-information/etape/commune/"


def test_errors_are_on_the_field_and_going_back_keeps_what_was_typed(client, velay):
    go_through(client, until="besoin")
    response = client.post("/demande-information/etape/besoin/", {"besoin": "creche", "a_partir_du": YESTERDAY})
    assert "Choisissez une date à venir." in response.content.decode()
    client.post("/demande-information/etape/besoin/", {"besoin": "assmat", "a_partir_du": "", "precedent": "1"})
    assert 'value="1234567"' in client.get("/demande-information/etape/vous/").content.decode()
    back = client.get("/demande-information/etape/besoin/").content.decode()
    assert re.search(r'value="assmat"[^>]*checked', back)


def test_children_must_be_under_six(client, velay):
    go_through(client, until="enfants")
    old = (timezone.localdate() - datetime.timedelta(days=7 * 365)).isoformat()
    response = client.post("/demande-information/etape/enfants/", {**STEPS["enfants"], "enfants-0-date_naissance": old})
    assert "moins de 6 ans" in response.content.decode()


def test_honeypot_and_rate_limit(client, velay):
    go_through(client, until="contact")
    robot = client.post("/demande-information/etape/contact/", {**STEPS["contact"], "site_web": "http://spam.example"})
    assert "n&#x27;a pas pu être enregistrée" in robot.content.decode()
    for _ in range(5):
        go_through(client)
        assert client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"}).status_code == 302
    go_through(client)
    limited = client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    assert limited.status_code == 429 and "Trop de demandes depuis cette connexion" in limited.content.decode()
    assert Demande.objects.count() == 5


def test_the_linf_person_reads_it_which_marks_it_traitee_and_tells_the_family(client, velay):
    go_through(client)
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    demande = Demande.objects.get()
    mail.outbox.clear()
    client.force_login(velay["person"])
    listing = client.get("/pro/demandes/").content.decode()
    assert demande.reference in listing and "nouvelle" in listing
    # A link followed by a mail scanner or a prefetch (GET) changes nothing and shows nobody's data.
    before = client.get(f"/pro/demandes/{demande.reference}/").content.decode()
    assert "Ouvrir la demande" in before and "Sarah" not in before
    assert Demande.objects.get().statut == "nouvelle" and not mail.outbox
    assert client.get(f"/pro/demandes/{demande.reference}/ouvrir/").status_code == 405
    opened = client.post(f"/pro/demandes/{demande.reference}/ouvrir/")
    assert opened["Location"] == f"/pro/demandes/{demande.reference}/"
    detail = client.get(opened["Location"]).content.decode()
    assert "Sarah Martin" in detail and "Nous arrivons au Puy" in detail
    demande.refresh_from_db()
    assert demande.statut == "traitee" and demande.traitee_par == velay["person"]
    assert [m.to for m in mail.outbox] == [["sarah.martin@example.fr"]]
    client.get(f"/pro/demandes/{demande.reference}/")
    assert len(mail.outbox) == 1, "l'accusé de traitement part une seule fois"
    assert AccesDemande.objects.filter(demande=demande, action="lecture").count() == 2


def test_nobody_else_reads_a_demande(client, velay):
    go_through(client)
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    demande = Demande.objects.get()
    _, other_linf_person = open_linf("PIF de Brioude", CommuneFactory(code_insee="43040"), person_email="autre@pif.example.fr")
    from habilitations.enums import Role
    from habilitations.tests.factories import make_person

    intruders = [other_linf_person, make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"),
                 make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr")]
    for intruder in intruders:
        client.force_login(intruder)
        assert client.get(f"/pro/demandes/{demande.reference}/").status_code == 404
        assert client.post(f"/pro/demandes/{demande.reference}/ouvrir/").status_code == 404
        assert demande.reference not in client.get("/pro/demandes/").content.decode()
    velay["person"].affectations.all().delete()  # withdrawn by an avenant
    client.force_login(velay["person"])
    assert client.get(f"/pro/demandes/{demande.reference}/").status_code == 404
    client.logout()
    assert client.get(f"/pro/demandes/{demande.reference}/").status_code == 302
    assert Demande.objects.get().statut == "nouvelle"


def test_the_caf_follows_statuses_and_delays_without_personal_data(client, velay):
    from habilitations.enums import Role
    from habilitations.tests.factories import make_person

    go_through(client)
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    demande = Demande.objects.get()
    Demande.objects.filter(pk=demande.pk).update(cree_le=timezone.now() - datetime.timedelta(days=8))
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr"))
    html = client.get("/administration/demandes/demande/").content.decode()
    assert demande.reference in html and "PIF du Velay" in html
    assert re.search(r"<td>PIF du Velay</td><td>1</td><td>0</td>\s*<td>—</td><td>1 \(délai 5 j\)</td>", html)
    for private in ("Sarah", "sarah.martin@example.fr", "06 12 34 56 78", "Nous arrivons"):
        assert private not in html
    assert client.get(f"/administration/demandes/demande/{demande.pk}/change/").status_code in (403, 404)
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    assert demande.reference not in client.get("/administration/demandes/demande/").content.decode()


def test_a_jobseeker_family_gets_the_avip_solutions_of_its_area_on_the_confirmation(client, velay):
    from structures.tests.factories import StructureFactory

    avip = StructureFactory(avip=True, commune=velay["le_puy"], nom="Multi-accueil Les Capucins")
    StructureFactory(commune=velay["le_puy"], nom="Crèche sans label")
    go_through(client)  # situation: en recherche d'emploi
    response = client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"}, follow=True)
    html = response.content.decode()
    assert "Des places pour les parents en recherche d'emploi ou en formation" in html
    assert "<title>Demande envoyée — monenfant" in html, "the page title stays plain text"
    assert avip.nom in html and "Crèche sans label" not in html

    other = type(client)()
    go_through(other, vous={"situation": "emploi"})
    html = other.post("/demande-information/etape/recapitulatif/", {"consentement": "on"}, follow=True).content.decode()
    assert "Votre demande est enregistrée" in html and avip.nom not in html


def test_a_family_nobody_serves_is_counted_by_commune_and_month_only(client, velay):
    from demandes.models import DemandeNonServie

    for _ in range(2):
        client.post("/demande-information/etape/commune/", {"commune": "Yssingeaux (43200)", "code_insee": "43268"})
    client.post("/demande-information/etape/commune/", {"commune": "Le Puy-en-Velay (43000)", "code_insee": "43157"})
    row = DemandeNonServie.objects.get()
    assert (row.commune_id, row.nombre, row.mois) == ("43268", 2, timezone.localdate().replace(day=1))
    assert {f.name for f in DemandeNonServie._meta.get_fields()} == {"id", "mois", "commune", "nombre"}

    from habilitations.enums import Role
    from habilitations.tests.factories import make_person

    client.force_login(make_person(Role.CAF_AGENT, caf_code="43"))
    html = client.get("/administration/demandes/demande/").content.decode()
    table = html[html.index('id="non-servies"'):]
    assert "Yssingeaux (43268)</td><td>43</td><td>2</td>" in table
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64"))
    html = client.get("/administration/demandes/demande/").content.decode()
    assert "Yssingeaux" not in html


def test_the_cnaf_reads_the_follow_up_one_departement_at_a_time(client, velay):
    from habilitations.enums import Role
    from habilitations.tests.factories import make_person

    go_through(client)
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@example.fr"))
    html = client.get("/administration/demandes/demande/").content.decode()
    assert 'id="choisir-departement"' in html and 'id="resume-linf"' not in html
    demande = Demande.objects.get()
    assert demande.reference not in html
    assert demande.reference in client.get(f"/administration/demandes/demande/?q={demande.reference}").content.decode()
    html = client.get("/administration/demandes/demande/?departement=43").content.decode()
    assert re.search(r"<td>PIF du Velay</td><td>1</td><td>0</td>", html) and demande.reference in html
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    assert client.get("/administration/demandes/demande/?departement=43").status_code == 404


def test_no_email_to_the_address_typed_echoes_what_was_typed(client, velay):
    """The form is public: whoever types someone else's address gets no text of theirs delivered there."""
    bait = "URGENT votre compte CAF est suspendu"
    go_through(client, contact={**STEPS["contact"], "prenom": bait, "nom": bait, "moment_prefere": bait},
               message={"message": bait})
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    demande = Demande.objects.get()
    client.force_login(velay["person"])
    client.post(f"/pro/demandes/{demande.reference}/ouvrir/")
    to_family = [m for m in mail.outbox if m.to == ["sarah.martin@example.fr"]]
    assert len(to_family) == 2, "registered, then read"
    for message in to_family:
        assert "URGENT" not in message.subject + message.body
