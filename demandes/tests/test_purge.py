"""Six months, then gone: only anonymous counts remain, and they were kept as the demandes came."""

import datetime

import pytest
from django.utils import timezone

from demandes import services
from demandes.models import AccesDemande, Demande, Enfant, StatistiqueDemande
from demandes.purge import purge_expired
from monenfant.tests.horloge import JOUR_DES_TESTS
from notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]


def send(velay, *, when, besoin="creche", enfant=None, **fields):
    demande = services.create_demande_information(
        commune=velay["le_puy"], enfants=[enfant or {"date_naissance": datetime.date(2025, 3, 1)}], qualite="parent",
        besoin=besoin,
        a_partir_du=datetime.date(2027, 1, 4), prenom="Léa", nom="Martin", email="lea@example.fr", **fields,
    )
    Demande.objects.filter(pk=demande.pk).update(cree_le=when)
    return Demande.objects.get(pk=demande.pk)


def counts():
    return {(s.besoin, s.statut, s.delai_jours, s.tranche_age): s.nombre for s in StatistiqueDemande.objects.all()}


def test_time_travel_six_months_and_only_counts_remain(velay):
    now = timezone.now()
    old = [send(velay, when=now, besoin="assmat") for _ in range(7)]
    recent = [send(velay, when=now) for _ in range(3)]
    services.open_demande(demande=old[0], user=velay["person"])
    assert counts() == {("assmat", "nouvelle", None, "1-3"): 6, ("assmat", "traitee", 0, "1-3"): 1,
                        ("creche", "nouvelle", None, "1-3"): 3}
    seven_months_ago = now - datetime.timedelta(days=214)
    Demande.objects.filter(pk__in=[d.pk for d in old]).update(cree_le=seven_months_ago)
    Notification.objects.create(destinataires="f0@example.fr", sujet="x", corps="Bonjour Léa", cree_le=seven_months_ago)
    Notification.objects.filter(destinataires="lea@example.fr").update(cree_le=seven_months_ago)
    # A reading logged for a demande that is gone some other way goes too, by its date.
    AccesDemande.objects.create(demande_id=987654, user=velay["person"], action="lecture", le=seven_months_ago)

    report = purge_expired(batch=3)

    assert (report.demandes, report.lots) == (7, 3)
    assert report.notifications >= 1
    assert set(Demande.objects.values_list("pk", flat=True)) == {d.pk for d in recent}
    assert Enfant.objects.count() == 3 and not AccesDemande.objects.exists()
    assert not Notification.objects.filter(corps__contains="Bonjour Léa").exists()
    assert counts() == {("assmat", "nouvelle", None, "1-3"): 6, ("assmat", "traitee", 0, "1-3"): 1,
                        ("creche", "nouvelle", None, "1-3"): 3}, "the purge takes no count away"
    stat = StatistiqueDemande.objects.first()
    assert stat.commune_id == "43157" and stat.linf == velay["linf"]
    assert purge_expired().demandes == 0, "idempotent"


def test_counts_keep_the_category_not_the_person(velay):
    send(velay, when=timezone.now(), enfant={"date_prevue": datetime.date(2027, 2, 1)}, horaires_atypiques=True,
         situation="recherche")
    row = StatistiqueDemande.objects.get()
    assert (row.besoin, row.tranche_age, row.horaires_atypiques, row.situation, row.nombre) == (
        "creche", "a_naitre", True, "recherche", 1)
    columns = {f.name for f in StatistiqueDemande._meta.get_fields()}
    assert not columns & {"nom", "prenom", "email", "telephone", "message", "reference", "numero_allocataire"}


TRACES = ("Quarteroni", "q.famille@example.fr", "06 98 76 54 32", "Abandonnini")


def _everything_stored() -> str:
    """Every row of every table of the project and its libraries, as text, and every session decoded."""
    from django.contrib.sessions.models import Session
    from django.db import connection

    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            if table == Session._meta.db_table:
                continue
            # The text columns (where names and addresses are written), as the database holds them.
            columns = ", ".join(
                f"CAST({connection.ops.quote_name(c.name)} AS TEXT)"
                for c in connection.introspection.get_table_description(cursor, table)
                if connection.introspection.get_field_type(c.type_code, c) in ("CharField", "TextField", "JSONField")
            )
            if not columns:
                continue
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the database)
            parts += [str(row) for row in cursor.fetchall()]
    parts += [str(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(parts)


@pytest.mark.usefixtures("commits")
def test_after_the_purge_nothing_holds_the_family(client, velay, caplog):
    """Sent, opened by the LINF months later (the accusé is recent), purged: no row, decoded session, stored
    email or log line holds the family's name, address or phone; an abandoned form's session goes within the hour."""
    from django.test import Client

    from demandes.tests.test_demande import go_through
    from structures.tasks import clear_expired_sessions

    caplog.set_level("DEBUG")
    changes = {"contact": {"prenom": "Sarah", "nom": "Quarteroni", "email": "q.famille@example.fr",
                           "telephone": "06 98 76 54 32"}}
    go_through(client, **changes)
    client.post("/demande-information/etape/recapitulatif/", {"consentement": "on"})
    demande = Demande.objects.get()
    services.open_demande(demande=demande, user=velay["person"])
    assert Notification.objects.filter(objet=demande.objet_notifications).count() == 2  # its record and its accusé
    abandon = Client()
    go_through(abandon, until="message", contact={**changes["contact"], "nom": "Abandonnini"})
    stored = _everything_stored()
    assert all(trace in stored for trace in TRACES), "the test finds what it looks for"

    Demande.objects.filter(pk=demande.pk).update(cree_le=timezone.now() - datetime.timedelta(days=190))
    assert purge_expired().demandes == 1
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=abandon.session.session_key).update(expire_date=timezone.now())
    clear_expired_sessions()

    stored = _everything_stored()
    for trace in TRACES:
        assert trace not in stored, trace
        assert not [r.getMessage() for r in caplog.records if trace in r.getMessage()], trace
    assert Session.objects.filter(session_key=client.session.session_key).exists(), "the family's own session stays"
