import functools

import factory
from django.contrib.auth.hashers import make_password

from habilitations.enums import Role
from habilitations.models import Affectation, User
from structures.models import Caf
from structures.tests.factories import DepartementFactory

PASSWORD = "motdepasse2026"


@functools.cache
def password_hash() -> str:
    # The production hasher (about 0.3 s a hash), paid once per session instead of once per person.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.LazyFunction(password_hash)


def caf_of(code: str) -> Caf:
    return DepartementFactory(code=code, nom={"43": "Haute-Loire", "64": "Pyrénées-Atlantiques"}.get(code, code)).caf


def make_person(role: str, *, caf_code: str | None = None, structure=None, **fields) -> User:
    """A person holding one role: make_person(Role.CAF_AGENT, caf_code="43"), make_person(Role.GESTIONNAIRE, structure=s)."""
    user = UserFactory(is_staff=role in (Role.CNAF_ADMIN, Role.CAF_ADMIN, Role.CAF_AGENT), **fields)
    Affectation.objects.create(user=user, role=role, caf=caf_of(caf_code) if caf_code else None, structure=structure)
    return user
