"""No demande is stranded when a convention ends: its unopened demandes move to the other LINF serving the
commune, or the family is told where to ask (the daily task of linf.conventions, then demandes.services)."""

import pytest

from demandes import services as demandes_services
from demandes.models import Demande
from demandes.rappels import remind_overdue
from demandes.services import open_demande
from habilitations.enums import Role
from habilitations.models import User
from habilitations.tests.factories import make_person
from linf.conventions import apply_ends
from linf.models import Guichet
from linf.tests import test_fin_des_conventions as fin
from monenfant.tests.horloge import JOUR_DES_TESTS
from notifications.models import Notification
from structures.enums import Rubrique
from structures.models import Caf, Commune
from structures.tests.factories import StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]
D, at = fin.D, fin.at
ouvert = fin.ouvert  # the fixture: a convention signed, its guichet open, a notice given


def _demandes_for_le_puy(n):

    return [demandes_services.create_demande_information(
        commune=Commune.objects.get(code_insee="43157"), enfants=[{"date_naissance": D(2026, 2, 1)}], qualite="parent",
        besoin="creche", a_partir_du=D(2027, 9, 1), prenom="Léa", nom=f"Famille {i}", email=f"famille{i}@example.fr",
    ) for i in range(n)]


def test_no_demande_is_stranded_they_move_to_the_other_linf_serving_the_commune(ouvert, linf, django_capture_on_commit_callbacks):

    autre = StructureFactory(nom="Relais du Brivadois", rubrique=Rubrique.LINF, commune=linf.commune)
    autre.communes_desservies.set([linf.commune])
    Guichet.objects.create(structure=autre, ouvert=True)
    paul = make_person(Role.LINF, structure=autre, email="paul@brivadois.example.fr")
    with at(D(2027, 2, 20)):
        premiere, seconde, lue = _demandes_for_le_puy(3)
        for demande in (premiere, seconde, lue):
            demande.linfs.set([linf])  # sent while only the Velay's place served Le Puy
        open_demande(demande=lue, user=User.objects.get(email="julie.roche@agglo43.example.fr"))
    Notification.objects.all().delete()
    with at(D(2027, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        apply_ends()
    for demande in (premiere, seconde):
        demande.refresh_from_db()
        assert list(demande.linfs.all()) == [autre] and demande.reorientee_le and demande.statut == "nouvelle"
    lue.refresh_from_db()
    assert list(lue.linfs.all()) == [linf] and lue.reorientee_le is None
    told = Notification.objects.filter(destinataires="paul@brivadois.example.fr", sujet__contains="nouvelle demande")
    assert told.count() == 2 and "Famille" not in told.first().corps
    transmise = Notification.objects.get(destinataires="famille0@example.fr")
    assert "transmise à : Relais du Brivadois" in transmise.corps
    # Paul can open them in his professional area.
    assert set(Demande.objects.visible_to(paul)) == {premiere, seconde}


def test_without_another_linf_the_family_is_told_where_to_ask(ouvert, linf, client, django_capture_on_commit_callbacks):

    Caf.objects.filter(departement="43").update(page_caf_fr="https://www.caf.fr/allocataires/caf-de-la-haute-loire")
    StructureFactory(nom="Relais petite enfance du Puy", rubrique=Rubrique.RPE, commune=linf.commune,
                     telephone="04 71 00 00 00")
    with at(D(2027, 2, 20)):
        premiere, seconde = _demandes_for_le_puy(2)
    Notification.objects.all().delete()
    with at(D(2027, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        apply_ends()
    emails = Notification.objects.filter(sujet__contains="ne pourra pas être lue en ligne")
    assert sorted(e.destinataires for e in emails) == ["famille0@example.fr", "famille1@example.fr"]
    corps = emails.first().corps
    assert "Relais petite enfance du Puy" in corps and "04 71 00 00 00" in corps
    assert "https://www.caf.fr/allocataires/caf-de-la-haute-loire" in corps
    assert all(e.objet.startswith("demande:") for e in emails), "destroyed with the demande"
    with at(D(2027, 3, 11)), django_capture_on_commit_callbacks(execute=True):
        apply_ends()  # nothing twice
        assert remind_overdue().demandes == 0, "nobody is reminded of a demande nobody can read"
    assert emails.count() == 2
    # The CAF's follow-up shows them.
    with at(D(2027, 3, 11)):
        client.force_login(make_person(Role.CAF_AGENT, caf_code="43", email="agent2@caf43.example.fr"))
        page = client.get("/administration/demandes/demande/?sans_lieu=prevenue").content.decode()
    assert premiere.reference in page and seconde.reference in page and "famille prévenue le 10 mars 2027" in page
