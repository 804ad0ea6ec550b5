"""Every role × object × action of the back office, in one table."""

import pytest
from django.urls import reverse

from habilitations.enums import Role
from habilitations.tests.factories import make_person
from linf.models import ContratCafCnaf
from monenfant.tests.horloge import JOUR_DES_TESTS
from simulateur.models import Bareme
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, OrganismeFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(JOUR_DES_TESTS)]

OBJECTS = ["structure", "organisme", "user", "contratcafcnaf", "bareme"]
ACTIONS = ["liste", "voir", "ajouter", "supprimer"]
OK, FORBIDDEN, LOGIN = 200, 403, 302

# Expected answer for each role, per object then action (liste, voir, ajouter, supprimer).
EXPECTED = {
    Role.CNAF_ADMIN: {o: (OK, OK, OK, OK) for o in OBJECTS},
    Role.CAF_ADMIN: {
        "structure": (OK, OK, OK, FORBIDDEN), "organisme": (OK, OK, OK, FORBIDDEN), "user": (OK, OK, OK, FORBIDDEN),
        "contratcafcnaf": (OK, OK, FORBIDDEN, FORBIDDEN), "bareme": (OK, OK, FORBIDDEN, FORBIDDEN),
    },
    Role.CAF_AGENT: {
        "structure": (OK, OK, OK, FORBIDDEN), "organisme": (OK, OK, OK, FORBIDDEN), "user": (OK, OK, OK, FORBIDDEN),
        "contratcafcnaf": (OK, OK, FORBIDDEN, FORBIDDEN), "bareme": (OK, OK, FORBIDDEN, FORBIDDEN),
    },
    Role.GESTIONNAIRE: {o: (LOGIN,) * 4 for o in OBJECTS},
    Role.ASSMAT: {o: (LOGIN,) * 4 for o in OBJECTS},
    Role.LINF: {o: (LOGIN,) * 4 for o in OBJECTS},
    None: {o: (LOGIN,) * 4 for o in OBJECTS},
}


@pytest.fixture
def territory():
    commune = CommuneFactory(code_insee="43157")
    creche = StructureFactory(creche=True, commune=commune, organisme=OrganismeFactory(commune=commune))
    assmat = StructureFactory(rubrique=Rubrique.ASSMAT, commune=commune)
    linf = StructureFactory(rubrique=Rubrique.LINF, commune=commune)
    person = make_person(Role.GESTIONNAIRE, structure=creche, email="gestion@example.fr")
    return {
        "structures": {Role.GESTIONNAIRE: creche, Role.ASSMAT: assmat, Role.LINF: linf},
        "objects": {
            "structure": creche, "organisme": creche.organisme, "user": person,
            "contratcafcnaf": ContratCafCnaf.objects.create(departement_id="43", signe_le="2026-01-05", actif=True),
            "bareme": Bareme.objects.get(dispositif="psu", debut="2026-01-01"),
        },
    }


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda r: r or "anonyme")
@pytest.mark.parametrize("model", OBJECTS)
def test_permission_matrix(client, territory, role, model):
    if role in (Role.CAF_ADMIN, Role.CAF_AGENT):
        client.force_login(make_person(role, caf_code="43"))
    elif role == Role.CNAF_ADMIN:
        client.force_login(make_person(role))
    elif role is not None:
        client.force_login(make_person(role, structure=territory["structures"][role]))
    obj = territory["objects"][model]
    app = type(obj)._meta.app_label
    urls = [
        reverse(f"admin:{app}_{model}_changelist"),
        reverse(f"admin:{app}_{model}_change", args=[obj.pk]),
        reverse(f"admin:{app}_{model}_add"),
        reverse(f"admin:{app}_{model}_delete", args=[obj.pk]),
    ]
    got = tuple(client.get(url).status_code for url in urls)
    assert got == EXPECTED[role][model], dict(zip(ACTIONS, got, strict=True))
