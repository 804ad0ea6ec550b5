"""Requests refused, or left without a convention, go six months later; a convention never goes here."""

import datetime
import io
import logging
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from habilitations import conventions, services
from habilitations.enums import Role, StatutHabilitation
from habilitations.purge import purge_expired
from habilitations.tasks import purge_habilitations
from habilitations.tests.factories import make_person
from habilitations.workflow import (
    DemandeHabilitation,
    Document,
    PersonneHabilitee,
    TransitionHabilitation,
)
from monenfant.tests.horloge import JOUR_DES_TESTS
from notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.postgis, pytest.mark.time_machine(JOUR_DES_TESTS)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
LONG_AGO = datetime.datetime(2026, 1, 10, 10, tzinfo=PARIS)
STEP = datetime.datetime(2026, 2, 15, 10, tzinfo=PARIS)  # the last step of each request below


def at(when):
    return time_machine.travel(when, tick=False)


def ask(linf, name, when):
    with at(when):
        return services.create_demande_habilitation(
            caf=linf.commune.departement.caf, organisme_nom=name, organisme_siret="", organisme_adresse="1 rue du Lac",
            demandeur_nom="Claire Vidal", demandeur_email=f"{name.lower()}@example.fr", demandeur_telephone="",
            structures=[linf], communes=list(linf.communes_desservies.all()), delai_recuperation_jours=7,
            personnes=[{"prenom": "Julie", "nom": "Roche", "email": f"julie.{name.lower()}@example.fr", "fonction": "Animatrice"}],
        )


@pytest.fixture
def requests(linf):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    refusee, non_traitee = ask(linf, "Refusee", LONG_AGO), ask(linf, "Oubliee", STEP)
    convention, validee, terminee = (ask(linf, name, LONG_AGO) for name in ("Convention", "Validee", "Terminee"))
    with at(STEP):
        services.refuse(demande=refusee, par=agent, motif="Hors du territoire.")
        for demande in (convention, validee, terminee):
            services.send_convention(demande=demande, par=agent)
        services.validate(demande=validee, par=agent)
        services.validate(demande=terminee, par=agent)
    with at(STEP + datetime.timedelta(days=400)):
        conventions.end_convention(demande=terminee, motif="Préavis de l'organisme.")
    return {name: DemandeHabilitation.objects.get(pk=d.pk) for name, d in [
        ("refusee", refusee), ("non_traitee", non_traitee), ("convention", convention), ("validee", validee),
        ("terminee", terminee)]}


def left():
    return set(DemandeHabilitation.objects.values_list("organisme_nom", flat=True))


def purge_on(day: datetime.date):
    with at(datetime.datetime.combine(day, datetime.time(3), tzinfo=PARIS)):
        return purge_expired()


def test_refused_six_months_after_the_refusal_abandoned_ninety_days_and_six_months_after_their_last_step(requests):
    everyone = {"Refusee", "Oubliee", "Convention", "Validee", "Terminee"}
    assert requests["convention"].statut == StatutHabilitation.CONVENTION_ENVOYEE
    assert requests["terminee"].statut == StatutHabilitation.TERMINEE
    purged = [requests[k] for k in ("refusee", "non_traitee", "convention")]
    kept = [requests[k] for k in ("validee", "terminee")]
    gone = [d.pk for d in purged]
    assert PersonneHabilitee.objects.filter(demande__in=gone).count() == 3
    assert Notification.objects.filter(piece_jointe_nom__in=[d.nom_fichier for d in Document.objects.filter(demande__in=gone)]).count() == 1
    kept_rows = {d.pk: (d.personnes.count(), d.documents.count(), d.transitions.count()) for d in kept}
    kept_emails = Notification.objects.filter(sujet__contains=requests["validee"].reference).count()

    # Refused on 15 February 2026: kept until 15 August, gone the day after.
    assert purge_on(datetime.date(2026, 8, 14)).total == 0 and left() == everyone
    report = purge_on(datetime.date(2026, 8, 16))
    assert report.demandes == {"refusee": 1, "non_traitee": 0, "convention_envoyee": 0}
    assert left() == everyone - {"Refusee"}

    # Sent (or convention sent) on 15 February: 90 days bring 16 May, six months more 16 November.
    # The convention's request itself came in January: its last step counts, not its first.
    assert purge_on(datetime.date(2026, 11, 15)).total == 0 and left() == everyone - {"Refusee"}
    report = purge_on(datetime.date(2026, 11, 17))
    assert report.demandes == {"refusee": 0, "non_traitee": 1, "convention_envoyee": 1}
    assert left() == {"Validee", "Terminee"}

    # Their persons, documents, steps and emails went with them; the conventions' stayed.
    assert not PersonneHabilitee.objects.filter(demande__in=gone).exists()
    assert not Document.objects.filter(demande__in=gone).exists()
    assert not TransitionHabilitation.objects.filter(demande__in=gone).exists()
    for d in purged:
        assert not Notification.objects.filter(sujet__contains=d.reference).exists()
        assert not Notification.objects.filter(corps__contains=d.reference).exists()
    assert not DemandeHabilitation.structures.through.objects.filter(demandehabilitation_id__in=gone).exists()
    assert not DemandeHabilitation.communes.through.objects.filter(demandehabilitation_id__in=gone).exists()
    for d in kept:
        assert (d.personnes.count(), d.documents.count(), d.transitions.count()) == kept_rows[d.pk]
    assert Notification.objects.filter(sujet__contains=requests["validee"].reference).count() == kept_emails

    # Years later, a convention (running or ended) is still there.
    assert purge_on(datetime.date(2030, 1, 1)).total == 0 and left() == {"Validee", "Terminee"}


def test_the_purge_counts_and_logs_no_personal_data(requests, caplog):
    caplog.set_level(logging.INFO, logger="habilitations.purge")
    references = [requests[k].reference for k in ("refusee", "non_traitee", "convention")]
    report = purge_on(datetime.date(2027, 1, 1))
    assert (report.total, report.personnes, report.documents) == (3, 3, 1)
    # Steps: the refusal, the convention sent. Emails: two on arrival each, the refusal, the convention.
    assert (report.transitions, report.notifications) == (2, 8)
    [record] = [r for r in caplog.records if r.name == "habilitations.purge"]
    message = record.getMessage()
    assert "1 refusée(s), 1 non traitée(s) et 1 sans convention signée" in message
    assert "3 personne(s), 1 document(s), 2 étape(s) et 8 courriel(s)" in message
    for personal in [*references, "Refusee", "Oubliee", "example.fr", "Julie", "Roche", "Claire", "Vidal"]:
        assert personal.lower() not in message.lower()
    assert purge_on(datetime.date(2027, 1, 1)).total == 0, "idempotent"


def test_the_daily_task_and_the_command(requests):
    assert settings.CELERY_BEAT_SCHEDULE["purge-des-habilitations"]["task"] == "habilitations.tasks.purge_habilitations"
    with at(datetime.datetime(2026, 8, 16, 3, tzinfo=PARIS)):
        result = purge_habilitations.apply().get()
    assert result["demandes"] == 1 and result["refusee"] == 1 and result["personnes"] == 1
    out = io.StringIO()
    with at(datetime.datetime(2026, 11, 17, 3, tzinfo=PARIS)):
        call_command("purge_habilitations", stdout=out)
    assert "2 demande(s) d'habilitation effacée(s) (0 refusée(s), 2 sans convention)" in out.getvalue()
    assert left() == {"Validee", "Terminee"}
