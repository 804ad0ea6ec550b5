"""The guichet (fermé ⟷ ouvert) and the CAF–CNAF contract (actif → terminé) change through transitions, each logged."""

import datetime

import pytest
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from habilitations import services
from habilitations.enums import Role
from habilitations.tests.factories import make_person
from linf.conventions import end_contract
from linf.models import ContratCafCnaf, Guichet, TransitionContrat, TransitionGuichet
from linf.services import close_guichet, open_guichet
from monenfant.tests.horloge import JOUR_DES_TESTS

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]


@pytest.fixture
def ouvrable(demande, linf):
    agent = make_person(Role.CAF_AGENT, caf_code="43", email="agent@caf43.example.fr")
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    contrat = ContratCafCnaf.objects.create(departement_id="43", signe_le=datetime.date(2026, 1, 5), actif=True,
                                            fin_le=datetime.date(2027, 1, 5))
    return {"linf": linf, "agent": agent, "contrat": contrat, "demande": demande}


def etapes(guichet):
    return [(e.depuis, e.vers, e.par, e.motif) for e in TransitionGuichet.objects.filter(guichet=guichet)]


def test_opening_and_closing_the_guichet_are_logged_and_closing_twice_is_refused(ouvrable):
    linf, agent = ouvrable["linf"], ouvrable["agent"]
    guichet = open_guichet(structure=linf, par=agent)
    open_guichet(structure=linf, par=agent)  # opened again: no new step
    close_guichet(structure=linf, par=agent)

    guichet.refresh_from_db()
    assert not guichet.ouvert and guichet.etat == "ferme"
    assert etapes(guichet) == [("ferme", "ouvert", agent, f"habilitation {ouvrable['demande'].reference}"),
                               ("ouvert", "ferme", agent, "fermé par la CAF")]
    with pytest.raises(TransitionNotAllowed):
        guichet.fermer(par=agent)
    assert Guichet.objects.filter(pk=guichet.pk).fermer() == 0
    assert len(etapes(guichet)) == 2


def test_opening_an_open_guichet_through_the_transition_is_refused(ouvrable):
    guichet = open_guichet(structure=ouvrable["linf"])
    with pytest.raises(TransitionNotAllowed):
        guichet.ouvrir()


def test_the_end_of_the_contract_is_a_logged_transition_that_closes_the_guichets(ouvrable):
    contrat, linf = ouvrable["contrat"], ouvrable["linf"]
    guichet = open_guichet(structure=linf)

    end_contract(contrat)

    contrat.refresh_from_db()
    assert not contrat.actif and contrat.termine_le is not None
    (etape,) = TransitionContrat.objects.filter(contrat=contrat)
    assert (etape.depuis, etape.vers, etape.le) == ("actif", "termine", contrat.termine_le)
    assert etape.motif == "fin du contrat CAF–CNAF du département 43 le 05/01/2027"
    assert str(etape).startswith("actif → terminé le ")
    assert etapes(guichet)[-1][:2] == ("ouvert", "ferme") and "fin du contrat" in etapes(guichet)[-1][3]
    with pytest.raises(TransitionNotAllowed):
        contrat.terminer(motif="encore")
    assert TransitionContrat.objects.filter(contrat=contrat).count() == 1


def test_the_logs_are_shown_read_only_in_the_admin(client, ouvrable):
    contrat, linf = ouvrable["contrat"], ouvrable["linf"]
    open_guichet(structure=linf)
    end_contract(contrat)
    client.force_login(make_person(Role.CNAF_ADMIN, email="cnaf@cnaf.example.fr"))

    html = client.get(reverse("admin:linf_contratcafcnaf_change", args=[contrat.pk])).content.decode()
    assert "Historique des étapes" in html and "terminé" in html and "fin du contrat CAF–CNAF" in html
    assert 'name="transitions-0-motif"' not in html  # read only
    html = client.get(reverse("admin:structures_structure_change", args=[linf.pk])).content.decode()
    assert "Historique du guichet" in html and "fermé → ouvert" in html and "ouvert → fermé" in html
