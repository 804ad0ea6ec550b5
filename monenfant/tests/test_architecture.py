"""DESIGN.md's rooms, checked on the imports (ast) of every module that is not a test:

    simulateur        (alone)
    structures  <-  habilitations  <-  linf  <-  demandes
    structures  <-  guide
    structures, simulateur  <-  familles
    shared machinery (notifications, compteurs, backoffice, monenfant.regles): imports no app
    benchmarks (measurements): may import every app; none imports it

A module never imports from an app to its right; only the project's wiring (settings, urls, apps.py,
celery.py) names apps in monenfant/.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = {"structures", "habilitations", "linf", "demandes", "simulateur", "guide", "familles"}
SHARED = ["notifications", "compteurs", "backoffice", "sauvegardes"]
# What each domain app may import of the others (DESIGN.md's chain).
ALLOWED = {
    "simulateur": set(),
    "structures": set(),
    "habilitations": {"structures"},
    "linf": {"structures", "habilitations"},
    "demandes": {"structures", "habilitations", "linf"},
    "guide": {"structures"},
    # A family's need: the directory and the simulator composed (costs beside results, alerts).
    "familles": {"structures", "simulateur"},
}
WIRING = {"settings.py", "urls.py", "apps.py", "celery.py", "wsgi.py"}


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts or path.name == "conftest.py":
            continue
        yield path


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_rooms_exist():
    for package in [*SHARED, *DOMAIN]:
        assert list(modules(package)), package


@pytest.mark.parametrize("package", SHARED)
def test_shared_machinery_imports_no_domain_app(package):
    offending = {str(path.relative_to(ROOT)): sorted(imported_apps(path) & DOMAIN) for path in modules(package)}
    assert {path: apps for path, apps in offending.items() if apps} == {}


def test_the_shared_rule_of_monenfant_imports_no_domain_app():
    offending = {str(path.relative_to(ROOT)): sorted(imported_apps(path) & DOMAIN)
                 for path in modules("monenfant") if path.name not in WIRING}
    assert {path: apps for path, apps in offending.items() if apps} == {}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_domain_module_imports_an_app_to_its_right(app):
    forbidden = DOMAIN - ALLOWED[app] - {app}
    offending = {str(path.relative_to(ROOT)): sorted(imported_apps(path) & forbidden) for path in modules(app)}
    assert {path: apps for path, apps in offending.items() if apps} == {}


def test_no_app_imports_the_benchmarks():
    """benchmarks/ measures every app and may import them all (like the wiring); nothing depends on it."""
    offending = {str(path.relative_to(ROOT)): "benchmarks"
                 for package in [*SHARED, *DOMAIN, "monenfant"] for path in modules(package)
                 if "benchmarks" in imported_apps(path)}
    assert offending == {}


def test_the_periodic_tasks_and_the_names_tasks_had_before_the_move_are_registered(settings):
    from monenfant.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    # Messages queued under the old names before a deployment are still understood.
    for old in ("habilitations.tasks.send_notification", "habilitations.tasks.flush_outbox", "structures.tasks.flush_usage"):
        assert old in app.tasks
