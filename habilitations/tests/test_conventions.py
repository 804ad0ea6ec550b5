"""The convention's calendar (one year, tacit renewal, three months' notice) and the notice in the back office."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from habilitations import conventions, services
from habilitations.enums import PartiePreavis, Role, StatutHabilitation
from habilitations.tests.factories import make_person
from monenfant.tests.horloge import JOUR_DES_TESTS
from notifications.models import Notification

pytestmark = pytest.mark.time_machine(JOUR_DES_TESTS)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
D = datetime.date


@pytest.mark.parametrize(("effet", "preavis", "fin"), [
    (D(2026, 3, 10), D(2026, 3, 10), D(2027, 3, 10)),   # notice on the first day: the first anniversary
    (D(2026, 3, 10), D(2026, 11, 25), D(2027, 3, 10)),
    (D(2026, 3, 10), D(2026, 12, 10), D(2027, 3, 10)),  # exactly three months before
    (D(2026, 3, 10), D(2026, 12, 11), D(2028, 3, 10)),  # one day late: the next anniversary
    (D(2026, 3, 10), D(2027, 6, 1), D(2028, 3, 10)),    # in the second year
    (D(2024, 2, 29), D(2024, 5, 1), D(2025, 2, 28)),    # a 29 February signature ends on the 28th
])
def test_the_end_date_is_the_first_anniversary_at_least_three_months_after_the_notice(effet, preavis, fin):
    assert conventions.fin_apres_preavis(effet, preavis) == fin


def test_the_reminder_is_a_month_before_the_end():
    assert conventions.date_rappel(D(2027, 3, 10)) == D(2027, 2, 10)
    assert conventions.date_rappel(D(2027, 3, 31)) == D(2027, 2, 28)


@pytest.fixture
def validee(demande):
    """The habilitation of the Velay information place, validated (signed) on 10 March 2026."""
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=PARIS), tick=False):
        services.send_convention(demande=demande, par=agent)
        services.validate(demande=demande, par=agent)
    mail.outbox.clear()
    demande.refresh_from_db()
    return demande


@pytest.mark.django_db
def test_an_agent_records_a_notice_and_reads_the_end_date(client, validee):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent2@caf43.example.fr"))
    url = reverse("admin:habilitations_demandehabilitation_change", args=[validee.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=PARIS), tick=False):
        page = client.get(url).content.decode()
        assert "Prise d'effet le <strong>10 mars 2026</strong>" in page
        assert "Prochaine date anniversaire : <strong>10 mars 2027</strong>" in page
        assert "au plus tard le 10 décembre 2026" in page
        response = client.post(reverse("admin:habilitations_demande_preavis", args=[validee.pk]), {
            "preavis_le": "2026-11-20", "preavis_par": PartiePreavis.ORGANISME, "preavis_motif": "Fin du relais",
        }, follow=True)
        assert "Préavis enregistré : la convention prend fin le 10/03/2027." in response.content.decode()
        page = client.get(url).content.decode()
    assert "la convention prend fin le 10 mars 2027." in page
    validee.refresh_from_db()
    assert (validee.statut, validee.fin_le, validee.preavis_par) == (StatutHabilitation.VALIDEE, D(2027, 3, 10), "organisme")
    told = Notification.objects.get(sujet__contains="prendra fin le 10/03/2027")
    assert set(told.destinataires.split(",")) == {validee.demandeur_email, "linf@caf43.example.fr"}
    assert "Fin du relais" in told.corps and "le guichet de demande en ligne reste ouvert" in told.corps
    assert validee.transitions.last().commentaire == "Préavis de l'organisme reçu le 20/11/2026 : fin le 10/03/2027."


@pytest.mark.django_db
def test_a_notice_with_a_bad_date_is_refused_in_french_and_changes_nothing(client, validee):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent2@caf43.example.fr"))
    url = reverse("admin:habilitations_demande_preavis", args=[validee.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=PARIS), tick=False):
        for data, message in [
            ({"preavis_le": "2026-12-01", "preavis_par": "caf"}, "ne peut pas être dans le futur"),
            ({"preavis_le": "2026-01-01", "preavis_par": "caf"}, "a pris effet le 10/03/2026"),
            ({"preavis_le": "", "preavis_par": "caf"}, "Indiquez la date de réception du préavis"),
            ({"preavis_le": "2026-11-20", "preavis_par": ""}, "Indiquez qui donne le préavis"),
        ]:
            assert message in client.post(url, data, follow=True).content.decode()
    validee.refresh_from_db()
    assert validee.fin_le is None and validee.preavis_le is None


@pytest.mark.django_db
def test_a_notice_can_be_cancelled_before_the_end(client, validee):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent2@caf43.example.fr"))
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=PARIS), tick=False):
        conventions.record_notice(demande=validee, par=None, le=D(2026, 11, 25), partie=PartiePreavis.CAF)
        client.post(reverse("admin:habilitations_demande_annuler_preavis", args=[validee.pk]))
    validee.refresh_from_db()
    assert validee.fin_le is None and validee.statut == StatutHabilitation.VALIDEE
    assert Notification.objects.filter(sujet__contains="continue").count() == 1


@pytest.mark.django_db
def test_an_agent_of_another_caf_cannot_record_a_notice(client, validee):
    client.force_login(make_person(Role.CAF_AGENT, caf_code="64", email="agent@caf64.example.fr"))
    response = client.post(reverse("admin:habilitations_demande_preavis", args=[validee.pk]),
                           {"preavis_le": "2026-03-20", "preavis_par": "caf"})
    assert response.status_code == 404
    validee.refresh_from_db()
    assert validee.fin_le is None


@pytest.mark.django_db
def test_only_a_validated_convention_takes_a_notice(demande):
    with pytest.raises(conventions.PreavisRefuse, match="convention en cours"):
        conventions.record_notice(demande=demande, par=None, le=D(2026, 11, 25), partie=PartiePreavis.CAF)
