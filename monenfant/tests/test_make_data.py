"""What `make run` loads, kept working although `make test` builds no demo database.

The commands are read from the Makefile's `data` target, so a command added there is run here too;
the geography is limited to the two demo départements (the whole country is imported by
structures/tests/test_imports.py).
"""

import io
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command

from habilitations.demo import DEMO_DOMAIN
from habilitations.models import User
from linf.models import Guichet
from structures.models import Commune, Structure

pytestmark = pytest.mark.django_db

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def data_commands() -> list[list[str]]:
    recipe = re.search(r"^data:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(encoding="utf-8"), re.M).group(1)
    commands = []
    for line in recipe.splitlines():
        words = shlex.split(line.strip())
        if "manage.py" in words:
            commands.append(words[words.index("manage.py") + 1:])
    return commands


def test_the_makefile_data_target_runs_on_two_departements_and_again_without_change():
    commands = data_commands()
    assert [c[0] for c in commands][:3] == ["migrate", "import_geographie", "load_demo"]
    for _ in range(2):  # make run on a machine where it has run before
        for name, *args in commands:
            if name == "migrate":
                continue  # the test database is migrated
            if name == "import_geographie":
                args = ["--departements", "43", "64"]
            call_command(name, *args, stdout=io.StringIO())
    assert Commune.objects.get(code_insee="43157").nom == "Le Puy-en-Velay"
    assert Structure.objects.filter(commune__departement="64").exists()
    assert User.objects.filter(email=f"linf43@{DEMO_DOMAIN}", is_active=True).exists()
    assert Guichet.objects.filter(ouvert=True).count() == 2
