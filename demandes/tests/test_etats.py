"""The demande's status: one transition (traiter), its log, and the database's rule traitée ⟺ traitée_le."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from demandes import services
from demandes.models import Demande, TransitionDemande
from demandes.purge import purge_expired
from demandes.tests.test_exports import make_demandes

pytestmark = pytest.mark.django_db


def test_opening_a_demande_goes_through_the_transition_and_logs_it(velay):
    (demande,) = make_demandes(velay["linf"], velay["le_puy"], 1)

    services.open_demande(demande=demande, user=velay["person"])

    demande.refresh_from_db()
    assert demande.statut == "traitee" and demande.traitee_le is not None and demande.traitee_par == velay["person"]
    (etape,) = TransitionDemande.objects.filter(demande=demande)
    assert (etape.depuis, etape.vers, etape.par, etape.le) == ("nouvelle", "traitee", velay["person"], demande.traitee_le)
    assert str(etape).startswith("nouvelle → traitée le ")
    # Opened again: nothing changes and nothing more is logged.
    services.open_demande(demande=demande, user=velay["person"])
    assert TransitionDemande.objects.filter(demande=demande).count() == 1


def test_a_demande_already_traitee_cannot_be_traitee_again(velay):
    (demande,) = make_demandes(velay["linf"], velay["le_puy"], 1)
    services.traiter(demande, par=velay["person"])

    with pytest.raises(TransitionNotAllowed):
        services.traiter(Demande.objects.get(pk=demande.pk), par=velay["person"])
    assert TransitionDemande.objects.filter(demande=demande).count() == 1


def test_the_database_refuses_a_traitee_demande_without_its_date_and_a_nouvelle_one_with_a_date(velay):
    (demande,) = make_demandes(velay["linf"], velay["le_puy"], 1)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Demande.objects.filter(pk=demande.pk).update(statut="traitee")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Demande.objects.filter(pk=demande.pk).update(traitee_le=timezone.now())
    Demande.objects.filter(pk=demande.pk).update(statut="traitee", traitee_le=timezone.now())


def test_the_purge_deletes_the_log_with_the_demande(velay):
    (demande,) = make_demandes(velay["linf"], velay["le_puy"], 1)
    services.traiter(demande, par=velay["person"])
    Demande.objects.filter(pk=demande.pk).update(cree_le=timezone.now() - datetime.timedelta(days=400))

    assert purge_expired().demandes == 1
    assert not TransitionDemande.objects.exists()
