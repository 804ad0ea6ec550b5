"""What a family's demande costs the server (issue 23: 50 families at once): pages that only show a step write
no session, and sending reads nothing it has just written."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from demandes import services, statistiques
from demandes.tests.conftest import open_linf
from demandes.tests.test_demande import go_through
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _send(commune, **changes):
    today = timezone.localdate()
    answers = {"commune": commune, "enfants": [{"date_naissance": today - datetime.timedelta(days=400)},
                                               {"date_prevue": today + datetime.timedelta(days=60)}],
               "qualite": "parent", "besoin": "creche", "a_partir_du": today + datetime.timedelta(days=30),
               "prenom": "Sarah", "nom": "Martin", "email": "sarah.martin@example.fr", **changes}
    return services.create_demande_information(**answers)


@pytest.mark.usefixtures("commits")
def test_a_visitor_who_only_looks_at_the_form_leaves_no_session(client, velay):
    assert client.get("/demande-information/").status_code == 200
    assert client.get("/demande-information/etape/commune/").status_code == 200
    assert not Session.objects.exists()


@pytest.mark.usefixtures("commits")
def test_showing_a_step_does_not_write_the_session_and_the_form_goes_on(client, velay):
    go_through(client, until="contact")
    before = Session.objects.values_list("session_data", "expire_date").get()
    for step in ("commune", "besoin", "contact"):
        assert client.get(f"/demande-information/etape/{step}/").status_code == 200
    assert Session.objects.values_list("session_data", "expire_date").get() == before
    # The answers are all still there: the rest of the form, then the demande.
    go_through(client)
    assert "Sarah Martin" in client.get("/demande-information/etape/recapitulatif/").content.decode()
    response = client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    assert "/confirmation/" in response["Location"]


def test_sending_reads_neither_the_linf_nor_the_children_it_has_just_written(velay, django_assert_max_num_queries):
    # The routing, one INSERT for the demande, its links, its children and each email (the family's, one per
    # LINF person), the persons, the count (the block's savepoint around them, as the test runs in a
    # transaction): no read of the links or children back, no query per LINF, no savepoint per count.
    _send(velay["le_puy"])  # the month's count row exists from now on, as it does all day long
    with django_assert_max_num_queries(10):
        demande = _send(velay["le_puy"])
    assert list(demande.linfs.all()) == [velay["linf"]] and demande.enfants.count() == 2
    assert Notification.objects.filter(sujet__contains=demande.reference).count() == 1
    assert Notification.objects.filter(corps__contains=demande.reference).count() == 2


@pytest.mark.usefixtures("commits")
def test_the_family_is_told_the_shortest_delay_of_the_linf_that_receive_it(velay):
    other, _ = open_linf("Relais du Puy", velay["le_puy"], person_email="paul@relais43.example.fr")
    velay["linf"].guichet.delai_traitement_jours = 12
    velay["linf"].guichet.save()
    other.guichet.delai_traitement_jours = 8
    other.guichet.save()
    demande = _send(velay["le_puy"])
    family = next(m for m in mail.outbox if m.to == [demande.email])
    assert "dans les 8 jours" in family.body and demande.delai_jours() == 8


def test_the_counts_of_a_demande_sent_are_those_read_back_from_it(velay):
    other, _ = open_linf("Relais du Puy", velay["le_puy"], person_email="paul@relais43.example.fr")
    demande = _send(velay["le_puy"], handicap=True)
    enfants, linfs = list(demande.enfants.all()), [other, velay["linf"]]  # any order: the first LINF is by pk
    assert statistiques._lookups(demande, enfants, linfs) == statistiques._lookups(demande)
    assert [row["premier_lieu"] for row in statistiques._lookups(demande)] == [True, False]
