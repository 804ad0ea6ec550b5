"""The rules of roles and avenants live in the services: /pro/, imports and commands obey them as the back office does."""

import pytest
from django.core.exceptions import ValidationError

from habilitations import services
from habilitations.enums import Role
from habilitations.models import Affectation
from habilitations.tests.factories import UserFactory, caf_of, make_person
from habilitations.tests.fixtures import demande, linf  # noqa: F401 (fixtures)
from structures.enums import Rubrique
from structures.tests.factories import CommuneFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_an_agent_grants_a_structure_role_of_their_territory_and_nothing_above():
    agent = make_person(Role.CAF_AGENT, caf_code="43")
    creche = StructureFactory(creche=True, commune=CommuneFactory(code_insee="43157"))
    personne = UserFactory()
    affectation = services.grant_role(by=agent, user=personne, role=Role.GESTIONNAIRE, structure=creche)
    assert personne.affectations.get() == affectation
    for role, kwargs, message in [
        (Role.CAF_AGENT, {"caf": caf_of("43")}, "gérés par l'administrateur de la CAF"),
        (Role.CAF_ADMIN, {"caf": caf_of("43")}, "attribué par la CNAF"),
        (Role.CNAF_ADMIN, {}, "attribué par la CNAF"),
        (Role.GESTIONNAIRE, {"structure": StructureFactory(creche=True, commune=CommuneFactory(code_insee="64445"))},
         "pas de votre territoire"),
        (Role.LINF, {"structure": StructureFactory(rubrique=Rubrique.LINF)}, "par l'habilitation"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.grant_role(by=agent, user=UserFactory(), role=role, **kwargs)


def test_nobody_acts_on_a_person_of_their_rank_or_above():
    admin_caf = make_person(Role.CAF_ADMIN, caf_code="43")
    collegue = make_person(Role.CAF_ADMIN, caf_code="43")
    with pytest.raises(ValidationError, match="de votre rang"):
        services.grant_role(by=admin_caf, user=collegue, role=Role.CAF_AGENT, caf=caf_of("43"))
    with pytest.raises(ValidationError, match="de votre rang"):
        services.revoke_role(by=admin_caf, affectation=collegue.affectations.get())
    assert collegue.affectations.count() == 1


def test_staff_follows_the_roles_wherever_they_are_granted_or_removed():
    personne = UserFactory(is_staff=False)
    affectation = Affectation.objects.create(user=personne, role=Role.CAF_AGENT, caf=caf_of("43"))
    personne.refresh_from_db()
    assert personne.is_staff
    affectation.delete()
    personne.refresh_from_db()
    assert not personne.is_staff
    cnaf = make_person(Role.CNAF_ADMIN)
    services.grant_role(by=cnaf, user=personne, role=Role.CAF_ADMIN, caf=caf_of("43"))
    personne.refresh_from_db()
    assert personne.is_staff
    services.revoke_role(by=cnaf, affectation=personne.affectations.get())
    personne.refresh_from_db()
    assert not personne.is_staff


def test_deleting_a_person_deletes_their_roles_quietly():
    personne = make_person(Role.CAF_AGENT, caf_code="43")
    personne.delete()
    assert not Affectation.objects.exists()


@pytest.mark.pdf
@pytest.mark.usefixtures("commits")
def test_an_avenant_names_nobody_twice(demande):  # noqa: F811
    agent = make_person(Role.CAF_AGENT, caf_code="43")
    services.send_convention(demande=demande, par=agent)
    services.validate(demande=demande, par=agent)
    ines = {"prenom": "Inès", "nom": "Mercier", "email": "ines.mercier@agglo43.example.fr", "fonction": "EJE"}
    with pytest.raises(ValueError, match="Déjà habilitée : Julie.Roche@agglo43.example.fr"):
        services.make_avenant(demande=demande, par=agent, retraits=[],
                              ajouts=[ines, {**ines, "prenom": "Julie", "email": "Julie.Roche@agglo43.example.fr"}])
    with pytest.raises(ValueError, match="Déjà habilitée : ines.mercier@agglo43.example.fr"):
        services.make_avenant(demande=demande, par=agent, retraits=[], ajouts=[ines, ines])
    assert not demande.documents.filter(type="avenant").exists()
