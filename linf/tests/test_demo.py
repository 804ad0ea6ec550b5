"""The demo site receives families' demandes: its information places are habilitated and open."""

import io

import pytest
from django.core.management import call_command

from habilitations.enums import StatutHabilitation
from habilitations.workflow import DemandeHabilitation
from linf.models import InstantaneCouverture
from linf.selectors import linfs_serving, persons_of
from structures.models import Commune

pytestmark = pytest.mark.django_db


def test_le_puy_and_pau_are_served_by_the_demo_linf_person_and_a_rerun_changes_nothing(demo_site):
    for code, email in (("43157", "linf43@demo.monenfant.invalid"), ("64445", "linf64@demo.monenfant.invalid")):
        linfs = list(linfs_serving(Commune.objects.get(code_insee=code)))
        assert len(linfs) == 1
        assert [p.email for p in persons_of(linfs)] == [email]
    assert DemandeHabilitation.objects.filter(statut=StatutHabilitation.VALIDEE).count() == 2

    call_command("load_demo_guichets", stdout=io.StringIO())

    assert DemandeHabilitation.objects.count() == 2


def test_the_demo_leaves_this_months_coverage_snapshot_so_the_chart_is_not_empty(demo_site):
    snapshots = {s.departement_id: s for s in InstantaneCouverture.objects.all()}
    assert set(snapshots) == {"43", "64"}
    assert all(s.population_couverte > 0 and s.mois.day == 1 for s in snapshots.values())
