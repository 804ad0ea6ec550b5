"""On its end date a convention closes its guichet and withdraws access; a contract's end does it for its département."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from habilitations import conventions, services
from habilitations.enums import PartiePreavis, Role, StatutHabilitation
from habilitations.models import Affectation, User
from habilitations.tests.factories import make_person
from linf import selectors
from linf.conventions import apply_ends
from linf.models import ContratCafCnaf, Guichet
from linf.services import open_guichet
from monenfant.tests.horloge import JOUR_DES_TESTS
from notifications.models import Notification
from structures.enums import Rubrique
from structures.models import Commune
from structures.tests.factories import StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
D = datetime.date


def at(day: datetime.date, hour: int = 8):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=PARIS), tick=False)


@pytest.fixture
def ouvert(demande, linf):
    """Signed on 10 March 2026, guichet open, notice from the organisme on 20 November 2026: ends 10 March 2027."""
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    ContratCafCnaf.objects.create(departement_id="43", signe_le=D(2026, 1, 5), actif=True)
    with at(D(2026, 3, 10)):
        services.send_convention(demande=demande, par=agent)
        services.validate(demande=demande, par=agent)
        open_guichet(structure=linf)
    with at(D(2026, 11, 25)):
        conventions.record_notice(demande=demande, par=agent, le=D(2026, 11, 20), partie=PartiePreavis.ORGANISME)
    mail.outbox.clear()
    Notification.objects.all().delete()
    demande.refresh_from_db()
    return demande


def served(code="43157"):
    return list(selectors.linfs_serving(Commune.objects.get(code_insee=code)))


def part_43():
    return {r["departement"]: r for r in selectors.couverture(["43"])}["43"]["communes_couvertes"]


def test_the_caf_is_reminded_once_a_month_before(ouvert):
    with at(D(2027, 2, 9)):
        assert apply_ends()["rappels"] == 0
    with at(D(2027, 2, 10)):
        assert apply_ends()["rappels"] == 1
        assert apply_ends()["rappels"] == 0
    rappel = Notification.objects.get()
    assert rappel.destinataires == "linf@caf43.example.fr"
    assert "prend fin dans un mois, le 10 mars 2027" in rappel.corps and "Point info familles du Velay" in rappel.corps


def test_the_guichet_stays_open_until_the_eve_and_closes_on_the_end_date(ouvert, linf):
    julie = User.objects.get(email="julie.roche@agglo43.example.fr")
    with at(D(2027, 3, 9), hour=23):
        apply_ends()
        assert served() == [linf] and part_43() == 2
        assert Guichet.objects.get(structure=linf).ouvert
    with at(D(2027, 3, 10), hour=0):
        # Routing stops on the day itself, even before the daily task has run.
        assert served() == [] and part_43() == 0
        assert apply_ends()["conventions"] == 1
        assert apply_ends()["conventions"] == 0
    assert not Guichet.objects.get(structure=linf).ouvert
    ouvert.refresh_from_db()
    assert ouvert.statut == StatutHabilitation.TERMINEE and ouvert.fin_le == D(2027, 3, 10)
    assert not Affectation.objects.filter(role=Role.LINF, structure=linf).exists()
    julie.refresh_from_db()
    assert not julie.is_active
    assert all(p.retiree_le for p in ouvert.personnes.all())
    fin = Notification.objects.get(sujet__contains="fin de la convention")
    assert set(fin.destinataires.split(",")) == {
        "claire.vidal@agglo43.example.fr", "linf@caf43.example.fr", "julie.roche@agglo43.example.fr",
        "paul.brun@agglo43.example.fr",
    }
    assert "a pris fin le 10 mars 2027" in fin.corps and "retirés : Paul Brun, Julie Roche." in fin.corps
    assert "préavis de l'organisme reçu le 20/11/2026" in fin.corps


def test_a_closed_convention_cannot_reopen_its_guichet(ouvert, linf):
    with at(D(2027, 3, 10)):
        apply_ends()
        with pytest.raises(ValueError, match="aucune habilitation validée"):
            open_guichet(structure=linf)


def test_the_end_of_the_contract_closes_every_guichet_of_its_departement(ouvert, linf):
    autre = StructureFactory(nom="Relais du Brivadois", rubrique=Rubrique.LINF, commune=linf.commune)
    autre.communes_desservies.set([linf.commune])
    Guichet.objects.create(structure=autre, ouvert=True)
    Guichet.objects.filter(structure=linf).update(ouvert=True)
    ouvert.fin_le = ouvert.preavis_le = None  # no notice: only the contract ends
    ouvert.save()
    contrat = ContratCafCnaf.objects.get(departement="43")
    contrat.fin_le = D(2027, 1, 1)
    contrat.full_clean()
    contrat.save()
    with at(D(2026, 12, 1)):
        assert apply_ends()["rappels"] == 1
    assert "prend fin dans un mois, le 1er janvier 2027" in Notification.objects.get().corps
    with at(D(2026, 12, 31), hour=23):
        assert {s.nom for s in served()} == {"Point info familles du Velay", "Relais du Brivadois"}
    with at(D(2027, 1, 1)):
        assert served() == [] and part_43() == 0
        call_command("fin_des_conventions", stdout=io.StringIO())
    contrat.refresh_from_db()
    assert not contrat.actif and contrat.termine_le
    assert not Guichet.objects.filter(ouvert=True).exists()
    ouvert.refresh_from_db()
    assert ouvert.statut == StatutHabilitation.TERMINEE
    assert "fin du contrat CAF–CNAF du département 43 le 01/01/2027" in ouvert.motif_fin
    assert Notification.objects.filter(sujet="monenfant : fin du contrat CAF–CNAF du département 43").count() == 1


def test_a_contract_cannot_end_before_it_is_signed():
    from django.core.exceptions import ValidationError

    from structures.tests.factories import DepartementFactory

    DepartementFactory(code="64")
    contrat = ContratCafCnaf(departement_id="64", signe_le=D(2026, 1, 5), actif=True, fin_le=D(2025, 12, 31))
    with pytest.raises(ValidationError, match="La fin du contrat vient après sa signature"):
        contrat.full_clean()

